//! From sufficient statistics to estimates: totals, ratios and their Taylor-linearised
//! variances for a stratified cluster design, for any set of output cells (domains) built as
//! unions of elementary cells. No ILO codes here: `tables` says which cells and ratios.
//!
//! For a ratio R = Y/X in domain d, the linearised variable of PSU i in stratum h is
//! z_hi = (y_hi − R x_hi)/X, where y_hi, x_hi are the PSU's weighted totals inside d (zero
//! outside d, and every PSU of the design counts, so n_h is the stratum's PSU count whatever
//! the domain). The variance is the with-replacement estimator
//! v(R) = Σ_h n_h/(n_h−1) Σ_i (z_hi − z̄_h)², as Stata's `svy` and samplics compute it by
//! default. A total is the case x = 1/X = 1. The pass gathers, per stratum, Σy, Σx, Σy², Σxy,
//! Σx² of the PSU totals (from the sums and products of the measures, which ratios share) and
//! then combines them, so R need not be known during the pass.
//!
//! Strata with a single PSU have no within-stratum variance. [`SinglePsu::Centered`] (the
//! default) centres such a PSU on the grand mean of all PSUs, as Stata's
//! `singleunit(centered)`: it adds (z_h1 − z̄)² with z̄ = Σz/N (zero for a ratio, Y/N for a
//! total), which never understates the error. [`SinglePsu::Skip`] adds nothing for them, as
//! samplics' `SinglePSUEst.skip`.

use crate::accumulate::Family;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SinglePsu {
    #[default]
    Centered,
    Skip,
}

/// A ratio of sums of measures, or a total when `den` is empty.
#[derive(Debug, Clone)]
pub struct Ratio {
    pub num: Vec<usize>,
    pub den: Vec<usize>,
}

/// Output cells (domains) as unions of elementary cells.
#[derive(Debug, Clone)]
pub struct Domains {
    pub n: usize,
    /// Elementary cell → the output cells it belongs to.
    pub members: Vec<Vec<u32>>,
}

/// One estimate before publication rules: in persons (totals) or as a proportion (ratios).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub value: f64,
    pub se: f64,
    /// Persons in the numerator (totals) or the denominator (ratios).
    pub n: u64,
    /// The weighted denominator (ratios); 1 for totals.
    pub den: f64,
}

/// The PSUs of the design grouped by stratum: `strata[h]` lists PSU ids.
#[derive(Debug, Clone)]
pub struct Design {
    pub strata: Vec<Vec<u32>>,
    pub n_psu: usize,
}

impl Design {
    pub fn from_keys(psu_keys: &[(i64, i64)]) -> Design {
        let mut ids: Vec<u32> = (0..psu_keys.len() as u32).collect();
        ids.sort_by_key(|&i| psu_keys[i as usize]);
        let mut strata: Vec<Vec<u32>> = Vec::new();
        let mut last: Option<i64> = None;
        for i in ids {
            let h = psu_keys[i as usize].0;
            if last != Some(h) {
                strata.push(Vec::new());
                last = Some(h);
            }
            if let Some(s) = strata.last_mut() {
                s.push(i);
            }
        }
        Design { strata, n_psu: psu_keys.len() }
    }

    pub fn singleton_strata(&self) -> usize {
        self.strata.iter().filter(|s| s.len() == 1).count()
    }
}

/// Estimates every ratio in every domain: the result is indexed `[domain * ratios.len() + r]`.
pub fn estimate(fam: &Family, design: &Design, domains: &Domains, ratios: &[Ratio], rule: SinglePsu) -> Vec<Stat> {
    let m = fam.m;
    let nd = domains.n;
    let ne = ratios.len();
    // Blocks grouped by PSU (CSR layout); the pass reads each block's cells itself.
    let n_psu = design.n_psu;
    let blocks = fam.blocks();
    let mut start = vec![0usize; n_psu + 1];
    for &(psu, _) in blocks {
        start[psu as usize + 1] += 1;
    }
    for i in 0..n_psu {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut by_psu = vec![0u32; blocks.len()];
    for (b, &(psu, _)) in blocks.iter().enumerate() {
        let p = psu as usize;
        by_psu[fill[p]] = b as u32;
        fill[p] += 1;
    }

    let no_members: Vec<u32> = Vec::new();
    let members = |cell: u32| domains.members.get(cell as usize).unwrap_or(&no_members);
    // Strata are independent: split them among the cores and add the results.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(design.strata.len().max(1));
    let chunk = design.strata.len().div_ceil(threads).max(1);
    // Only the measures some ratio reads are summed per domain, renumbered densely.
    let mut used: Vec<usize> = ratios.iter().flat_map(|r| r.num.iter().chain(&r.den).copied()).collect();
    used.sort_unstable();
    used.dedup();
    let dense = |ks: &[usize]| -> Vec<usize> { ks.iter().filter_map(|k| used.binary_search(k).ok()).collect() };
    let dense_ratios: Vec<Ratio> = ratios.iter().map(|r| Ratio { num: dense(&r.num), den: dense(&r.den) }).collect();
    let ctx = Pass { fam, by_psu: &by_psu, start: &start, domains, used: &used, ratios: &dense_ratios, rule };
    let parts: Vec<(Vec<[f64; 6]>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = design.strata.chunks(chunk).map(|part| scope.spawn(move || ctx.run(part))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut tot = vec![[0.0f64; 6]; nd * ne];
    let mut singletons = 0usize;
    for (t, s) in parts {
        singletons += s;
        for (a, b) in tot.iter_mut().zip(t) {
            for k in 0..6 {
                a[k] += b[k];
            }
        }
    }

    // Unweighted counts per domain and measure.
    let mut counts = vec![0u64; nd * m];
    for (i, c) in fam.counts.iter().enumerate() {
        if *c > 0 {
            for &d in members((i / m) as u32) {
                counts[d as usize * m + i % m] += c;
            }
        }
    }

    let mut out = Vec::with_capacity(nd * ne);
    for d in 0..nd {
        for (e, r) in ratios.iter().enumerate() {
            let t = &tot[d * ne + e];
            let cnt = |ks: &[usize]| ks.iter().map(|&k| counts[d * m + k]).sum::<u64>();
            if r.den.is_empty() {
                let mut v = t[2];
                if rule == SinglePsu::Centered && singletons > 0 && n_psu > 0 {
                    // Σ_s (y_s − ȳ)² = Σ y_s² − 2ȳ Σ y_s + S ȳ², with ȳ = Y/N over all PSUs.
                    let ybar = t[0] / n_psu as f64;
                    v += -2.0 * ybar * t[5] + singletons as f64 * ybar * ybar;
                }
                out.push(Stat { value: t[0], se: v.max(0.0).sqrt(), n: cnt(&r.num), den: 1.0 });
            } else {
                let (y, x) = (t[0], t[1]);
                let (value, se) = if x > 0.0 {
                    let rr = y / x;
                    let v = (t[2] - 2.0 * rr * t[3] + rr * rr * t[4]) / (x * x);
                    (rr, v.max(0.0).sqrt())
                } else {
                    (f64::NAN, f64::NAN)
                };
                out.push(Stat { value, se, n: cnt(&r.den), den: x });
            }
        }
    }
    out
}

/// One thread's share of the variance pass: a run of strata.
#[derive(Clone, Copy)]
struct Pass<'a> {
    fam: &'a Family,
    /// Block ids, grouped by PSU.
    by_psu: &'a [u32],
    start: &'a [usize],
    domains: &'a Domains,
    /// The family's measures that the ratios read.
    used: &'a [usize],
    /// The ratios, over positions in `used`.
    ratios: &'a [Ratio],
    rule: SinglePsu,
}

impl Pass<'_> {
    /// Per (domain, ratio): Y, X, Vyy, Vxy, Vxx and Σy of centred singletons; and the number
    /// of single-PSU strata met.
    fn run(&self, strata: &[Vec<u32>]) -> (Vec<[f64; 6]>, usize) {
        // Measures in a fixed number of lanes: the main family's few in eight, the activity
        // family's 22 in 32, so that the loops below have fixed lengths the compiler unrolls
        // and vectorises (the padding lanes stay zero).
        if self.used.len() <= 8 {
            self.run_in::<8>(strata)
        } else {
            self.run_in::<32>(strata)
        }
    }

    fn run_in<const S: usize>(&self, strata: &[Vec<u32>]) -> (Vec<[f64; 6]>, usize) {
        let Pass { fam, by_psu, start, domains, used, ratios, rule } = *self;
        debug_assert!(used.len() <= S, "more measures than lanes");
        let nd = domains.n;
        let ne = ratios.len();
        let no_members: Vec<u32> = Vec::new();
        let members = |cell: u32| domains.members.get(cell as usize).unwrap_or(&no_members);
        // One PSU's totals per domain (a domain's first cell is copied in, the others added),
        // and the domains it reached, in the order it reached them.
        let mut buf = vec![[0.0f64; S]; nd];
        let mut in_psu = vec![false; nd];
        let mut psu_touched = vec![0u32; nd];
        // Per stratum and domain, the PSU-level moments: Σ of each measure, then Σ of each
        // product of measures that some ratio needs. Ratios share measures, so this is far
        // less work per PSU than five sums per ratio, which are derived once per stratum.
        let moments = Moments::new(S, ratios);
        let w = moments.width();
        let mut acc = vec![0.0f64; nd * w];
        let mut in_stratum = vec![false; nd];
        let mut stratum_touched = vec![0u32; nd];
        // Whole design, per (domain, ratio): Y, X, Vyy, Vxy, Vxx, and for centred singletons Σy.
        let mut tot = vec![[0.0f64; 6]; nd * ne];
        let mut singletons = 0usize;

        for stratum in strata {
            let n_h = stratum.len();
            let mut n_stratum = 0;
            for &p in stratum {
                let p = p as usize;
                let mut n_psu = 0;
                for (cell, slot) in by_psu[start[p]..start[p + 1]].iter().flat_map(|&b| fam.cells_of(b as usize)) {
                    let data = fam.totals(slot);
                    let mut src = [0.0f64; S];
                    for (v, &k) in src.iter_mut().zip(used) {
                        *v = data[k];
                    }
                    for &d in members(cell) {
                        let d = d as usize;
                        let b = &mut buf[d];
                        if in_psu[d] {
                            for k in 0..S {
                                b[k] += src[k];
                            }
                        } else {
                            in_psu[d] = true;
                            psu_touched[n_psu] = d as u32;
                            n_psu += 1;
                            *b = src;
                        }
                    }
                }
                for &d in &psu_touched[..n_psu] {
                    let d = d as usize;
                    in_psu[d] = false;
                    if !in_stratum[d] {
                        in_stratum[d] = true;
                        stratum_touched[n_stratum] = d as u32;
                        n_stratum += 1;
                    }
                    moments.add(&buf[d], &mut acc[d * w..d * w + w]);
                }
            }
            let nf = n_h as f64;
            if n_h == 1 {
                singletons += 1;
            }
            for &d in &stratum_touched[..n_stratum] {
                let d = d as usize;
                in_stratum[d] = false;
                let mom = &mut acc[d * w..d * w + w];
                for (e, terms) in moments.terms.iter().enumerate() {
                    let a = terms.sums(mom);
                    let t = &mut tot[d * ne + e];
                    t[0] += a[0];
                    t[1] += a[1];
                    if n_h >= 2 {
                        let f = nf / (nf - 1.0);
                        t[2] += f * (a[2] - a[0] * a[0] / nf);
                        t[3] += f * (a[3] - a[1] * a[0] / nf);
                        t[4] += f * (a[4] - a[1] * a[1] / nf);
                    } else if rule == SinglePsu::Centered {
                        t[2] += a[2];
                        t[3] += a[3];
                        t[4] += a[4];
                        t[5] += a[0];
                    }
                }
                mom.fill(0.0);
            }
        }

        (tot, singletons)
    }
}

/// The within-stratum sums over PSUs that the ratios need, kept per domain as one vector:
/// Σ b_k for every measure k and Σ b_k² for every measure (each in `lanes` places: squaring
/// every lane costs no more than squaring some), then Σ b_k b_l for each pair (k < l) some
/// ratio uses, where b is a PSU's measure totals in the domain. For y = Σ_{k∈num} b_k and
/// x = Σ_{k∈den} b_k, Σy² = Σ_{k,l∈num} Σ b_k b_l and likewise Σxy and Σx².
struct Moments {
    lanes: usize,
    /// The products of two different measures.
    pairs: Vec<(usize, usize)>,
    terms: Vec<RatioTerms>,
}

/// Positions in the moment vector whose sums give one ratio's Σy, Σx, Σy², Σxy, Σx².
struct RatioTerms {
    parts: [Vec<usize>; 5],
}

impl RatioTerms {
    #[inline]
    fn sums(&self, mom: &[f64]) -> [f64; 5] {
        let mut a = [0.0; 5];
        for (s, idx) in a.iter_mut().zip(&self.parts) {
            *s = idx.iter().map(|&i| mom[i]).sum();
        }
        a
    }
}

impl Moments {
    fn new(lanes: usize, ratios: &[Ratio]) -> Moments {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut pair = |k: usize, l: usize| -> usize {
            if k == l {
                return lanes + k;
            }
            let key = (k.min(l), k.max(l));
            let j = match pairs.iter().position(|p| *p == key) {
                Some(j) => j,
                None => {
                    pairs.push(key);
                    pairs.len() - 1
                }
            };
            2 * lanes + j
        };
        let mut products = |a: &[usize], b: &[usize]| -> Vec<usize> {
            a.iter().flat_map(|&k| b.iter().map(move |&l| (k, l))).map(|(k, l)| pair(k, l)).collect()
        };
        let terms = ratios
            .iter()
            .map(|r| {
                let (y, x) = (&r.num[..], &r.den[..]);
                RatioTerms { parts: [y.to_vec(), x.to_vec(), products(y, y), products(x, y), products(x, x)] }
            })
            .collect();
        Moments { lanes, pairs, terms }
    }

    fn width(&self) -> usize {
        2 * self.lanes + self.pairs.len()
    }

    /// Adds one PSU's measure totals `b` to the moments `mom`.
    #[inline]
    fn add<const S: usize>(&self, b: &[f64; S], mom: &mut [f64]) {
        let (sums, rest) = mom.split_at_mut(S);
        let (squares, prods) = rest.split_at_mut(S);
        for k in 0..S {
            sums[k] += b[k];
            squares[k] += b[k] * b[k];
        }
        // Measures are below S, a power of two: the mask only spares a bounds check.
        for (p, &(k, l)) in prods.iter_mut().zip(&self.pairs) {
            *p += b[k & (S - 1)] * b[l & (S - 1)];
        }
    }
}
