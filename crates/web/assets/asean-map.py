#!/usr/bin/env python3
"""Derives asean-50m-simplified.geojson (the choropleth's geometry) from the Natural Earth
1:50m country shapes as packaged by world-atlas 2.0.2: the ten ASEAN features of
asean-countries-50m.geojson, plus Timor-Leste (ISO 626) decoded from countries-50m.json,
which the ASEAN extract lacks. Rings are simplified (Douglas-Peucker, 0.06 degrees), islands
smaller than 0.05 square degrees dropped (a country always keeps its largest ring), and
coordinates rounded to 0.01 degrees: the map is drawn some 600 pixels wide.

Usage: asean-map.py DATA_GEO_DIR > asean-50m-simplified.geojson
"""
import json
import sys

TOLERANCE = 0.06
MIN_AREA = 0.05


def perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def dp(points):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, at = 0.0, None
        for k in range(i + 1, j):
            d = perp(points[k], points[i], points[j])
            if d > best:
                best, at = d, k
        if at is not None and best > TOLERANCE:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def topo_polygons(topo, iso_n3):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        arcs.append(pts)

    def ring(indexes):
        out = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            out += pts if not out else pts[1:]
        return out

    geom = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == iso_n3)
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    return [[ring(r) for r in p] for p in polys]


def main(folder):
    asean = json.load(open(f"{folder}/asean-countries-50m.geojson"))
    world = json.load(open(f"{folder}/countries-50m.json"))
    shapes = []
    for f in asean["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        shapes.append((f["id"], polys))
    shapes.append(("TLS", topo_polygons(world, "626")))
    features = []
    for iso3, polys in shapes:
        outer = [p[0] for p in polys]
        largest = max(range(len(outer)), key=lambda i: area(outer[i]))
        kept = []
        for i, ring in enumerate(outer):
            if i != largest and area(ring) < MIN_AREA:
                continue
            simple = dp(ring)
            if len(simple) < 4:
                simple = ring
            kept.append([[[round(x, 2), round(y, 2)] for x, y in simple]])
        features.append({
            "type": "Feature",
            "id": iso3,
            "properties": {"iso3": iso3},
            "geometry": {"type": "MultiPolygon", "coordinates": kept},
        })
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


main(sys.argv[1])
