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
//! Σx² of the PSU totals and then combines them, so R need not be known during the pass.
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
    // Slots grouped by PSU (CSR layout).
    let n_psu = design.n_psu;
    let mut start = vec![0usize; n_psu + 1];
    for (psu, _, _) in fam.entries() {
        start[psu as usize + 1] += 1;
    }
    for i in 0..n_psu {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut by_psu = vec![(0u32, 0u32); fam.n_slots()];
    for (psu, cell, slot) in fam.entries() {
        let p = psu as usize;
        by_psu[fill[p]] = (cell, slot);
        fill[p] += 1;
    }

    let no_members: Vec<u32> = Vec::new();
    let members = |cell: u32| domains.members.get(cell as usize).unwrap_or(&no_members);
    // Strata are independent: split them among the cores and add the results.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(design.strata.len().max(1));
    let chunk = design.strata.len().div_ceil(threads).max(1);
    let ctx = Pass { fam, by_psu: &by_psu, start: &start, domains, ratios, rule };
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
    by_psu: &'a [(u32, u32)],
    start: &'a [usize],
    domains: &'a Domains,
    ratios: &'a [Ratio],
    rule: SinglePsu,
}

impl Pass<'_> {
    /// Per (domain, ratio): Y, X, Vyy, Vxy, Vxx and Σy of centred singletons; and the number
    /// of single-PSU strata met.
    fn run(&self, strata: &[Vec<u32>]) -> (Vec<[f64; 6]>, usize) {
        let Pass { fam, by_psu, start, domains, ratios, rule } = *self;
        let m = fam.m;
        let nd = domains.n;
        let ne = ratios.len();
        let no_members: Vec<u32> = Vec::new();
        let members = |cell: u32| domains.members.get(cell as usize).unwrap_or(&no_members);
        let mut buf = vec![0.0f64; nd * m];
        let mut in_psu = vec![false; nd];
        let mut psu_touched: Vec<u32> = Vec::new();
        // Per stratum, per (domain, ratio): Σy, Σx, Σy², Σxy, Σx².
        let mut acc = vec![[0.0f64; 5]; nd * ne];
        let mut in_stratum = vec![false; nd];
        let mut stratum_touched: Vec<u32> = Vec::new();
        // Whole design, per (domain, ratio): Y, X, Vyy, Vxy, Vxx, and for centred singletons Σy.
        let mut tot = vec![[0.0f64; 6]; nd * ne];
        let mut singletons = 0usize;

        for stratum in strata {
            let n_h = stratum.len();
            for &p in stratum {
                let p = p as usize;
                for &(cell, slot) in &by_psu[start[p]..start[p + 1]] {
                    let src = &fam.data[slot as usize * m..slot as usize * m + m];
                    for &d in members(cell) {
                        let d = d as usize;
                        if !in_psu[d] {
                            in_psu[d] = true;
                            psu_touched.push(d as u32);
                        }
                        for (b, v) in buf[d * m..d * m + m].iter_mut().zip(src) {
                            *b += v;
                        }
                    }
                }
                for &d in &psu_touched {
                    let d = d as usize;
                    let b = &buf[d * m..d * m + m];
                    if !in_stratum[d] {
                        in_stratum[d] = true;
                        stratum_touched.push(d as u32);
                    }
                    for (e, r) in ratios.iter().enumerate() {
                        let y: f64 = r.num.iter().map(|&k| b[k]).sum();
                        let x: f64 = if r.den.is_empty() { 0.0 } else { r.den.iter().map(|&k| b[k]).sum() };
                        let a = &mut acc[d * ne + e];
                        a[0] += y;
                        a[1] += x;
                        a[2] += y * y;
                        a[3] += x * y;
                        a[4] += x * x;
                    }
                    buf[d * m..d * m + m].fill(0.0);
                    in_psu[d] = false;
                }
                psu_touched.clear();
            }
            let nf = n_h as f64;
            if n_h == 1 {
                singletons += 1;
            }
            for &d in &stratum_touched {
                let d = d as usize;
                for e in 0..ne {
                    let a = &mut acc[d * ne + e];
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
                    *a = [0.0; 5];
                }
                in_stratum[d] = false;
            }
            stratum_touched.clear();
        }

        (tot, singletons)
    }
}
