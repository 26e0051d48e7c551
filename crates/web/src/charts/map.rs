//! The choropleth map of the ASEAN member states, from Natural Earth's public-domain 1:50m
//! shapes (simplified; `assets/README.md` says how). The geometry is parsed and projected once;
//! each map only chooses the fills. Colours are ColorBrewer's sequential YlGnBu, readable with
//! the common colour-vision deficiencies; states without data are grey and hatched, so that
//! "no data" never looks like a low value.

use super::escape;
use std::fmt::Write as _;
use std::sync::OnceLock;

const GEOMETRY: &str = include_str!("../../assets/asean-50m-simplified.geojson");
const WIDTH: f64 = 640.0;
/// The map's extent in degrees (west, east, south, north): Myanmar to Papua, Timor to the
/// north of Myanmar.
const EXTENT: (f64, f64, f64, f64) = (92.0, 141.5, -11.2, 28.8);
/// ColorBrewer YlGnBu, five classes, lightest first.
pub const CLASSES: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
const NO_DATA: &str = "#d9d9d9";

/// One state's outline as an SVG path, with where to put a marker if it is too small to see.
struct Shape {
    area: String,
    path: String,
    /// Centre of the bounding box, and whether the state is smaller than a few pixels.
    centre: (f64, f64),
    tiny: bool,
}

fn scale() -> f64 {
    WIDTH / (EXTENT.1 - EXTENT.0)
}

fn height() -> f64 {
    (EXTENT.3 - EXTENT.2) * scale()
}

/// Equirectangular: ASEAN straddles the equator, where it distorts little.
fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon - EXTENT.0) * scale(), (EXTENT.3 - lat) * scale())
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| parse(GEOMETRY).unwrap_or_default())
}

/// Reads the FeatureCollection of MultiPolygons; None if it is not one (a defect of the build
/// that the tests catch: the map is then drawn without shapes rather than failing the page).
fn parse(text: &str) -> Option<Vec<Shape>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for f in doc.get("features")?.as_array()? {
        let area = f.get("id")?.as_str()?.to_string();
        let polygons = f.get("geometry")?.get("coordinates")?.as_array()?;
        let mut path = String::new();
        let (mut lo, mut hi) = ((f64::INFINITY, f64::INFINITY), (f64::NEG_INFINITY, f64::NEG_INFINITY));
        for polygon in polygons {
            for ring in polygon.as_array()? {
                for (i, pt) in ring.as_array()?.iter().enumerate() {
                    let (lon, lat) = (pt.get(0)?.as_f64()?, pt.get(1)?.as_f64()?);
                    let (x, y) = project(lon, lat);
                    lo = (lo.0.min(x), lo.1.min(y));
                    hi = (hi.0.max(x), hi.1.max(y));
                    let _ = write!(path, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                }
                path.push('Z');
            }
        }
        let tiny = (hi.0 - lo.0).max(hi.1 - lo.1) < 6.0;
        out.push(Shape { area, path, centre: ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0), tiny });
    }
    Some(out)
}

/// One state on the map: its name, its class (None: no data) and the value as written.
pub struct Region {
    pub area: String,
    pub name: String,
    pub class: Option<usize>,
    pub text: String,
}

/// The map. `legend` gives each class's words (e.g. "4.0 to 6.0") in order; `no_data` the words
/// for states without a value.
pub fn choropleth(f: &super::series::Frame, regions: &[Region], legend: &[String], no_data: &str) -> String {
    let map_height = height();
    let total = map_height + 30.0 + (legend.len() as f64 + 1.0) * 18.0;
    let mut svg = String::new();
    let id = escape(f.id);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart map\" viewBox=\"0 0 {WIDTH:.0} {total:.0}\" \
         width=\"{WIDTH:.0}\" height=\"{total:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"sans-serif\" font-size=\"12\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"{NO_DATA}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8c8c8c\" stroke-width=\"1.5\"/></pattern></defs>\
         <rect width=\"100%\" height=\"100%\" fill=\"#f4f8fb\"/>",
        escape(f.title),
        escape(f.desc)
    );
    let fill_of = |class: Option<usize>| match class.and_then(|c| CLASSES.get(c)) {
        Some(c) => (*c).to_string(),
        None => format!("url(#{id}-hatch)"),
    };
    for shape in shapes() {
        let region = regions.iter().find(|r| r.area == shape.area);
        let fill = fill_of(region.and_then(|r| r.class));
        let tip = match region {
            Some(r) => format!("{}: {}", r.name, r.text),
            None => shape.area.clone(),
        };
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"{fill}\" stroke=\"#444\" stroke-width=\"0.6\"><title>{}</title></path>",
            shape.path,
            escape(&tip)
        );
        if shape.tiny {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{fill}\" stroke=\"#444\"><title>{}</title></circle>",
                shape.centre.0,
                shape.centre.1,
                escape(&tip)
            );
        }
    }
    let mut y = map_height + 24.0;
    for (i, words) in legend.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"10\" y=\"{:.1}\" width=\"16\" height=\"12\" fill=\"{}\" stroke=\"#444\"/><text x=\"32\" y=\"{y:.1}\">{}</text>",
            y - 10.0,
            fill_of(Some(i)),
            escape(words)
        );
        y += 18.0;
    }
    let _ = write!(
        svg,
        "<rect x=\"10\" y=\"{:.1}\" width=\"16\" height=\"12\" fill=\"url(#{id}-hatch)\" stroke=\"#444\"/><text x=\"32\" y=\"{y:.1}\">{}</text></svg>",
        y - 10.0,
        escape(no_data)
    );
    svg
}

/// Equal-interval classes over `values`: the bounds of each (at most five) and a classifier.
pub fn classes(values: &[f64]) -> Vec<(f64, f64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return Vec::new();
    }
    if hi - lo < 1e-12 {
        return vec![(lo, hi)];
    }
    let n = finite.len().clamp(1, CLASSES.len());
    let step = (hi - lo) / n as f64;
    (0..n).map(|i| (lo + step * i as f64, if i + 1 == n { hi } else { lo + step * (i + 1) as f64 })).collect()
}

/// The class of a value among `bounds` (from [`classes`]).
pub fn class_of(bounds: &[(f64, f64)], v: f64) -> Option<usize> {
    if !v.is_finite() {
        return None;
    }
    bounds.iter().position(|(_, hi)| v <= *hi + 1e-12).or(bounds.len().checked_sub(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_eleven_member_states_are_on_the_map() {
        let areas: Vec<&str> = shapes().iter().map(|s| s.area.as_str()).collect();
        for a in ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"] {
            assert!(areas.contains(&a), "{a} missing");
        }
        assert!(shapes().iter().find(|s| s.area == "SGP").unwrap().tiny);
        assert!(!shapes().iter().find(|s| s.area == "IDN").unwrap().tiny);
    }

    #[test]
    fn values_fall_in_classes() {
        let b = classes(&[1.0, 2.0, 3.0, 11.0]);
        assert_eq!(b.len(), 4);
        assert_eq!(class_of(&b, 1.0), Some(0));
        assert_eq!(class_of(&b, 11.0), Some(3));
        assert_eq!(class_of(&b, f64::NAN), None);
        assert_eq!(classes(&[5.0, 5.0]), vec![(5.0, 5.0)]);
        assert!(classes(&[]).is_empty());
    }

    #[test]
    fn the_map_names_states_and_marks_missing_ones() {
        let f = crate::charts::series::Frame { id: "m", title: "Map", desc: "d" };
        let regions = vec![Region { area: "THA".into(), name: "Thailand".into(), class: Some(2), text: "1.0".into() }];
        let svg = choropleth(&f, &regions, &["a".into(), "b".into(), "c".into()], "No data");
        assert!(svg.contains("Thailand: 1.0"));
        assert!(svg.contains(CLASSES[2]));
        assert!(svg.contains("url(#m-hatch)"));
    }
}
