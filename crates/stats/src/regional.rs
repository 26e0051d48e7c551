//! The ASEAN figure (`X84`) of a measure from the member states' figures, done as statisticians
//! do it: a rate is the ratio of the sums of its numerator and denominator levels over the
//! states that reported both, never an average of rates; a state that reported only the rate
//! and the denominator enters through rate × denominator, and the figure says so; a ratio
//! without a collected numerator (output per worker) is weighted by its denominator; levels
//! add up; scales give how many states stand at each level. Every figure lists the states in
//! it and those missing.

use crate::obs::Key;
use crate::registry::{Kind, Measure, Registry};
use serde::Serialize;

/// The keys whose values a country's contribution needs: the observation itself, and for
/// rates and ratios the numerator and denominator levels with the same breakdown (for a
/// distribution, the denominator at the classification's total).
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    pub value: Key,
    pub numerator: Option<Key>,
    pub denominator: Option<Key>,
}

pub fn components(reg: &Registry, key: &Key) -> Option<Components> {
    let series = reg.series(&key.indicator).ok()?;
    let m = reg.measure(&series.measure)?;
    let with = |measure: &str| -> Option<Key> {
        let s = series.with_measure(measure)?;
        Some(Key { indicator: s.code, ..key.clone() })
    };
    let numerator = match m.kind {
        Kind::Rate => m.numerator.as_deref().and_then(with),
        _ => None,
    };
    let denominator = match m.kind {
        Kind::Rate | Kind::Ratio => m.denominator.as_deref().and_then(with).map(|mut k| {
            if m.denominator_total {
                // The classification the distribution runs over is the last one given.
                let slot = if !k.classif2.is_empty() { &mut k.classif2 } else { &mut k.classif1 };
                if let Some(t) = reg.total_of(slot) {
                    *slot = t.code.clone();
                }
            }
            k
        }),
        _ => None,
    };
    Some(Components { value: key.clone(), numerator, denominator })
}

/// Keys that hold the same figure as `key` in a more detailed series: a total over sex is the
/// `SEX_T` row of the series by sex, and a total over age the `AGE_YTHADULT_YGE15` row of the
/// series by age (ILOSTAT's series cover ages 15+). So output per worker finds its employment
/// denominator in the employment-by-sex-and-age series a state submitted.
pub fn equivalents(reg: &Registry, key: &Key) -> Vec<Key> {
    let Ok(series) = reg.series(&key.indicator) else { return Vec::new() };
    let mut options: Vec<(Vec<String>, Key)> = vec![(series.dims.clone(), key.clone())];
    for (dim, total) in [("SEX", "SEX_T"), ("AGE", "AGE_YTHADULT_YGE15")] {
        let mut more = Vec::new();
        for (dims, k) in &options {
            if dims.iter().any(|d| d == dim) {
                continue;
            }
            let mut wanted: Vec<&str> = dims.iter().map(String::as_str).collect();
            wanted.push(dim);
            let Ok(s) = reg.series_of(&series.measure, &wanted) else { continue };
            // Place each code in the slot its dimension takes in the new series.
            let code_of = |d: &str| -> String {
                if d == dim {
                    return total.to_string();
                }
                let pos = dims.iter().position(|x| x == d);
                let old_classifs: Vec<&String> = dims.iter().filter(|x| *x != "SEX").collect();
                match (d, pos) {
                    ("SEX", Some(_)) => k.sex.clone(),
                    (_, Some(_)) => {
                        let i = old_classifs.iter().position(|x| x.as_str() == d).unwrap_or(0);
                        if i == 0 {
                            k.classif1.clone()
                        } else {
                            k.classif2.clone()
                        }
                    }
                    _ => String::new(),
                }
            };
            let classifs = s.classifs();
            let nk = Key {
                ref_area: k.ref_area.clone(),
                indicator: s.code.clone(),
                sex: if s.has_sex() { code_of("SEX") } else { String::new() },
                classif1: classifs.first().map(|d| code_of(d)).unwrap_or_default(),
                classif2: classifs.get(1).map(|d| code_of(d)).unwrap_or_default(),
                time: k.time.clone(),
            };
            more.push((s.dims.clone(), nk));
        }
        options.extend(more);
    }
    options.into_iter().skip(1).map(|(_, k)| k).collect()
}

/// One member state's published figures for the components (each in its measure's unit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountryFigures {
    pub area: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Σ numerator / Σ denominator, every state from its levels.
    RatioOfSums,
    /// As above, but some states entered through their rate × their denominator.
    WeightedByDenominator,
    Sum,
    /// Counts of states per scale level.
    Distribution,
    /// No regional figure is meaningful (text answers, amounts in national currencies, a rate
    /// whose denominator is not collected).
    NotAggregated,
}

/// How one state entered the figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub area: String,
    /// "levels", "rate × denominator", "value" or "scale level".
    pub basis: &'static str,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regional {
    pub value: Option<f64>,
    pub method: Method,
    pub included: Vec<Contribution>,
    /// Member states not in the figure, with why.
    pub missing: Vec<(String, &'static str)>,
    /// For scales: how many states at each level, from 0.
    pub distribution: Vec<u32>,
    /// The figure's rule in words.
    pub note: String,
}

impl Regional {
    pub fn coverage(&self) -> (usize, usize) {
        (self.included.len(), self.included.len() + self.missing.len())
    }
}

/// Numerator and denominator in persons (or units), not thousands.
fn scaled(v: f64, mult: i32) -> f64 {
    v * 10f64.powi(mult)
}

/// The regional figure of `m` over `members`, from each state's figures (absent = not reported).
pub fn aggregate(reg: &Registry, m: &Measure, members: &[String], figures: &[CountryFigures]) -> Regional {
    let of = |area: &str| figures.iter().find(|f| f.area == area);
    let mut included = Vec::new();
    let mut missing = Vec::new();
    let not_aggregated = |note: String| Regional {
        value: None,
        method: Method::NotAggregated,
        included: Vec::new(),
        missing: Vec::new(),
        distribution: Vec::new(),
        note,
    };
    match m.kind {
        Kind::Text => not_aggregated("answers in words are not aggregated".into()),
        Kind::Level if !m.additive => not_aggregated(format!("{} cannot be added across member states", m.unit)),
        Kind::Level => {
            let mut sum = 0.0;
            for area in members {
                match of(area).and_then(|f| f.value) {
                    Some(v) => {
                        sum += v;
                        included.push(Contribution { area: area.clone(), basis: "value", weight: None });
                    }
                    None => missing.push((area.clone(), "not reported")),
                }
            }
            let value = (!included.is_empty()).then_some(sum);
            let note = "the sum over the member states that reported; the missing ones are not estimated".into();
            Regional { value, method: Method::Sum, included, missing, distribution: Vec::new(), note }
        }
        Kind::Scale => {
            let mut distribution = vec![0u32; m.scale.len()];
            for area in members {
                match of(area).and_then(|f| f.value) {
                    Some(v) if v >= 0.0 && (v as usize) < distribution.len() => {
                        distribution[v as usize] += 1;
                        included.push(Contribution { area: area.clone(), basis: "scale level", weight: None });
                    }
                    _ => missing.push((area.clone(), "not reported")),
                }
            }
            let note = "how many member states stand at each level; levels are not averaged".into();
            Regional { value: None, method: Method::Distribution, included, missing, distribution, note }
        }
        Kind::Rate | Kind::Ratio => {
            let Some(den_code) = m.denominator.as_deref() else {
                return not_aggregated("its denominator is not collected, so member states cannot be weighted".into());
            };
            let den_mult = reg.measure(den_code).map(|d| d.unit_mult).unwrap_or(0);
            let num_mult = m.numerator.as_deref().and_then(|n| reg.measure(n)).map(|n| n.unit_mult).unwrap_or(0);
            let (mut num_sum, mut den_sum) = (0.0, 0.0);
            let mut derived = false;
            for area in members {
                let f = of(area);
                let den = f.and_then(|f| f.denominator).filter(|d| *d > 0.0);
                let num = if m.kind == Kind::Rate { f.and_then(|f| f.numerator) } else { None };
                let value = f.and_then(|f| f.value);
                match (num, den, value) {
                    (Some(n), Some(d), _) => {
                        num_sum += scaled(n, num_mult);
                        den_sum += scaled(d, den_mult);
                        included.push(Contribution { area: area.clone(), basis: "levels", weight: Some(d) });
                    }
                    (None, Some(d), Some(v)) => {
                        // v = per × N / D, so N = v × D / per (in persons).
                        num_sum += v * scaled(d, den_mult) / m.per;
                        den_sum += scaled(d, den_mult);
                        derived = true;
                        let basis = if m.kind == Kind::Rate { "rate × denominator" } else { "value × denominator" };
                        included.push(Contribution { area: area.clone(), basis, weight: Some(d) });
                    }
                    (_, None, Some(_)) => missing.push((area.clone(), "no denominator to weight by")),
                    _ => missing.push((area.clone(), "not reported")),
                }
            }
            let value = (den_sum > 0.0).then(|| m.per * num_sum / den_sum);
            let (method, note) = if m.kind == Kind::Ratio || derived {
                (
                    Method::WeightedByDenominator,
                    format!(
                        "the member states' values weighted by {}{}",
                        reg.measure(den_code).map(|d| d.name.to_lowercase()).unwrap_or_default(),
                        if m.kind == Kind::Rate {
                            " (some states reported the rate without its numerator)"
                        } else {
                            ""
                        }
                    ),
                )
            } else {
                (
                    Method::RatioOfSums,
                    "the sum of the numerators over the sum of the denominators of the states that reported both"
                        .into(),
                )
            };
            Regional { value, method, included, missing, distribution: Vec::new(), note }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn members() -> Vec<String> {
        ["BRN", "KHM", "IDN"].map(String::from).to_vec()
    }

    fn fig(area: &str, value: Option<f64>, num: Option<f64>, den: Option<f64>) -> CountryFigures {
        CountryFigures { area: area.into(), value, numerator: num, denominator: den }
    }

    #[test]
    fn a_rate_is_the_ratio_of_sums_not_the_mean_of_rates() {
        let reg = Registry::get();
        let m = reg.measure("UNE_DEAP_RT").unwrap();
        // Unemployed 10 of 100 (10%) and 30 of 900 (3.33%): ASEAN 40/1000 = 4%, not 6.67%.
        let r = aggregate(
            reg,
            m,
            &members(),
            &[fig("BRN", Some(10.0), Some(10.0), Some(100.0)), fig("KHM", Some(3.333), Some(30.0), Some(900.0))],
        );
        assert!((r.value.unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(r.method, Method::RatioOfSums);
        assert_eq!(r.coverage(), (2, 3));
        assert_eq!(r.missing, vec![("IDN".to_string(), "not reported")]);
    }

    #[test]
    fn a_state_with_only_the_rate_is_weighted_by_its_denominator_and_said_so() {
        let reg = Registry::get();
        let m = reg.measure("UNE_DEAP_RT").unwrap();
        // IDN: 5% of a labour force of 1,000 (thousands) → 50 unemployed. (10 + 50) / 1100 = 5.4545%.
        let r = aggregate(
            reg,
            m,
            &members(),
            &[
                fig("BRN", Some(10.0), Some(10.0), Some(100.0)),
                fig("IDN", Some(5.0), None, Some(1000.0)),
                fig("KHM", Some(7.0), None, None),
            ],
        );
        assert!((r.value.unwrap() - 100.0 * 60.0 / 1100.0).abs() < 1e-12);
        assert_eq!(r.method, Method::WeightedByDenominator);
        assert_eq!(r.missing, vec![("KHM".to_string(), "no denominator to weight by")]);
        assert_eq!(r.included[1].basis, "rate × denominator");
    }

    #[test]
    fn inspectors_per_ten_thousand_employed_respect_the_units() {
        let reg = Registry::get();
        let m = reg.measure("LAI_INDE_RT").unwrap();
        // 500 inspectors for 2,000 thousand employed and 100 for 500 thousand: 600 / 2.5 M × 10^4 = 2.4.
        let r = aggregate(
            reg,
            m,
            &members(),
            &[fig("BRN", None, Some(500.0), Some(2000.0)), fig("KHM", None, Some(100.0), Some(500.0))],
        );
        assert!((r.value.unwrap() - 2.4).abs() < 1e-12);
    }

    #[test]
    fn levels_add_and_scales_count() {
        let reg = Registry::get();
        let lf = reg.measure("EAP_TEAP_NB").unwrap();
        let r = aggregate(
            reg,
            lf,
            &members(),
            &[fig("BRN", Some(210.5), None, None), fig("IDN", Some(140000.0), None, None)],
        );
        assert_eq!(r.value, Some(140210.5));
        assert_eq!(r.method, Method::Sum);
        let scale = reg.measure("TRP_OSLG_SC").unwrap();
        let r = aggregate(
            reg,
            scale,
            &members(),
            &[fig("BRN", Some(3.0), None, None), fig("IDN", Some(3.0), None, None), fig("KHM", Some(1.0), None, None)],
        );
        assert_eq!(r.distribution, vec![0, 1, 0, 2]);
        assert_eq!(r.value, None);
        let money = reg.measure("TRP_OSLS_NB").unwrap();
        assert_eq!(aggregate(reg, money, &members(), &[]).method, Method::NotAggregated);
    }

    #[test]
    fn components_of_rates_ratios_and_distributions() {
        let reg = Registry::get();
        let key = |ind: &str, c1: &str| Key {
            ref_area: "THA".into(),
            indicator: ind.into(),
            sex: "SEX_F".into(),
            classif1: c1.into(),
            classif2: String::new(),
            time: "2024".into(),
        };
        let c = components(reg, &key("UNE_DEAP_SEX_AGE_RT", "AGE_YTHADULT_Y15-24")).unwrap();
        assert_eq!(c.numerator.unwrap(), key("UNE_TUNE_SEX_AGE_NB", "AGE_YTHADULT_Y15-24"));
        assert_eq!(c.denominator.unwrap(), key("EAP_TEAP_SEX_AGE_NB", "AGE_YTHADULT_Y15-24"));
        let d = components(reg, &key("EMP_TEMP_SEX_ECO_DT", "ECO_SECTOR_AGR")).unwrap();
        assert_eq!(d.numerator.unwrap(), key("EMP_TEMP_SEX_ECO_NB", "ECO_SECTOR_AGR"));
        assert_eq!(d.denominator.unwrap(), key("EMP_TEMP_SEX_ECO_NB", "ECO_SECTOR_TOTAL"));
    }

    #[test]
    fn totals_are_found_in_more_detailed_series() {
        let reg = Registry::get();
        let k = Key {
            ref_area: "THA".into(),
            indicator: "EMP_TEMP_NOC_NB".into(),
            sex: String::new(),
            classif1: String::new(),
            classif2: String::new(),
            time: "2024".into(),
        };
        let eq: Vec<(String, String, String)> =
            equivalents(reg, &k).into_iter().map(|k| (k.indicator, k.sex, k.classif1)).collect();
        assert!(eq.contains(&("EMP_TEMP_SEX_AGE_NB".into(), "SEX_T".into(), "AGE_YTHADULT_YGE15".into())), "{eq:?}");
        let by_sex = Key { indicator: "EMP_TEMP_SEX_NB".into(), sex: "SEX_F".into(), ..k };
        let eq = equivalents(reg, &by_sex);
        assert_eq!(eq[0].indicator, "EMP_TEMP_SEX_AGE_NB");
        assert_eq!((eq[0].sex.as_str(), eq[0].classif1.as_str()), ("SEX_F", "AGE_YTHADULT_YGE15"));
    }
}
