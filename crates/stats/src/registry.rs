//! The measures and classification codes Tripart knows (curated in `data/`), and the mapping
//! between ILOSTAT's bulk indicator codes and its SDMX measure codes with separate dimensions.
//!
//! A bulk code is the measure's two leading parts, the dimensions it is broken down by, and the
//! measure's suffix: `EAP_DWAP_SEX_AGE_RT` is measure `EAP_DWAP_RT` by `SEX` and `AGE`
//! (`NOC`, no classification, stands for none). So either form maps to the other with no table.

use serde::Deserialize;
// hashbrown: its hasher is several times faster than the standard one on the short codes looked
// up for every row of a file.
use hashbrown::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Level,
    Rate,
    Ratio,
    Scale,
    Text,
}

impl Kind {
    /// Whether values are numbers (as opposed to a scale level or words).
    pub fn is_quantitative(self) -> bool {
        matches!(self, Kind::Level | Kind::Rate | Kind::Ratio)
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub code: String,
    pub name: String,
    pub kind: Kind,
    pub unit: String,
    /// Values are in units of 10^unit_mult (3: thousands).
    #[serde(default)]
    pub unit_mult: i32,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// The denominator is the total of the numerator's classification (a distribution).
    #[serde(default)]
    pub denominator_total: bool,
    /// A rate is `per` × numerator / denominator (100 for a percentage).
    #[serde(default = "one")]
    pub per: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Levels that may be added across states (not amounts in national currencies).
    #[serde(default = "yes")]
    pub additive: bool,
    /// Tripart's own code, not the ILO's.
    #[serde(default)]
    pub project: bool,
    /// The catalogue indicator (ASEAN-OSHNET scorecard item) this measure reports.
    pub scorecard: Option<String>,
    /// The levels of a scale, from 0.
    #[serde(default)]
    pub scale: Vec<String>,
    pub name_note: Option<String>,
    /// Which way is progress, where one plainly is: pages rank by it and name the regional best.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
}

/// The direction in which a measure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

fn one() -> f64 {
    1.0
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub code: String,
    pub family: String,
    pub scheme: Option<String>,
    pub name: String,
    #[serde(default)]
    pub total: bool,
}

impl Code {
    /// The scheme the code belongs to: its ILO parent, or its family for flat lists (SEX, GEO).
    pub fn scheme(&self) -> &str {
        self.scheme.as_deref().unwrap_or(&self.family)
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Scheme {
    id: String,
    label: String,
}

#[derive(Deserialize)]
struct MeasuresFile {
    measure: Vec<Measure>,
    series_label: Vec<SeriesLabel>,
}

#[derive(Deserialize)]
struct SeriesLabel {
    label: String,
    series: String,
}

#[derive(Deserialize)]
struct CodesFile {
    code: Vec<Code>,
    scheme: Vec<Scheme>,
}

/// A series: a measure broken down by some dimensions, in ILOSTAT's bulk-code order (SEX
/// first, then the classifications).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub code: String,
    pub measure: String,
    pub dims: Vec<String>,
}

impl Series {
    pub fn has_sex(&self) -> bool {
        self.dims.first().is_some_and(|d| d == "SEX")
    }

    /// The classification dimensions (not SEX), in order: classif1, classif2.
    pub fn classifs(&self) -> &[String] {
        if self.has_sex() {
            &self.dims[1..]
        } else {
            &self.dims
        }
    }

    /// The same breakdown of another measure (the numerator or denominator of a rate).
    pub fn with_measure(&self, measure: &str) -> Option<Series> {
        let (head, suffix) = measure.rsplit_once('_')?;
        let middle = if self.dims.is_empty() { "NOC".to_string() } else { self.dims.join("_") };
        Some(Series {
            code: format!("{head}_{middle}_{suffix}"),
            measure: measure.to_string(),
            dims: self.dims.clone(),
        })
    }
}

/// Dimensions a series may be broken down by; the order is ILOSTAT's in bulk codes.
pub const DIMENSIONS: [&str; 6] = ["SEX", "AGE", "GEO", "ECO", "INS", "MIG"];

/// The ASEAN aggregate's area code in ILOSTAT (`X84`).
pub const ASEAN_AREA: &str = "X84";

pub struct Registry {
    measures: Vec<Measure>,
    by_code: HashMap<String, usize>,
    codes: Vec<Code>,
    code_index: HashMap<String, usize>,
    scheme_labels: HashMap<String, String>,
    series_labels: HashMap<String, String>,
}

/// ILOSTAT's names of the ASEAN member states and of the aggregate (codelist ILO:CL_AREA), for
/// label-format files.
pub const AREA_NAMES: [(&str, &str); 12] = [
    ("BRN", "Brunei Darussalam"),
    ("KHM", "Cambodia"),
    ("IDN", "Indonesia"),
    ("LAO", "Lao People's Democratic Republic"),
    ("MYS", "Malaysia"),
    ("MMR", "Myanmar"),
    ("PHL", "Philippines"),
    ("SGP", "Singapore"),
    ("THA", "Thailand"),
    ("TLS", "Timor-Leste"),
    ("VNM", "Viet Nam"),
    ("X84", "ASEAN"),
];

impl Registry {
    /// The curated measures and codes, parsed once.
    pub fn get() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY.get_or_init(|| {
            // The files are part of the build and a test parses them: a failure here is a
            // defect of the build, not of any input.
            #[allow(clippy::expect_used)]
            Registry::parse(include_str!("../data/measures.toml"), include_str!("../data/codes.toml"))
                .expect("the built-in measures and codes parse")
        })
    }

    fn parse(measures: &str, codes: &str) -> Result<Registry, String> {
        let m: MeasuresFile = toml::from_str(measures).map_err(|e| format!("measures.toml: {e}"))?;
        let c: CodesFile = toml::from_str(codes).map_err(|e| format!("codes.toml: {e}"))?;
        let by_code = m.measure.iter().enumerate().map(|(i, x)| (x.code.clone(), i)).collect();
        let code_index = c.code.iter().enumerate().map(|(i, x)| (x.code.clone(), i)).collect();
        let scheme_labels = c.scheme.into_iter().map(|s| (s.id, s.label)).collect();
        let series_labels = m.series_label.into_iter().map(|s| (s.label, s.series)).collect();
        let reg = Registry { measures: m.measure, by_code, codes: c.code, code_index, scheme_labels, series_labels };
        for x in &reg.measures {
            for other in [&x.numerator, &x.denominator].into_iter().flatten() {
                if reg.measure(other).is_none() {
                    return Err(format!("measure {} refers to unknown measure {other}", x.code));
                }
            }
        }
        Ok(reg)
    }

    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    pub fn measure(&self, code: &str) -> Option<&Measure> {
        self.by_code.get(code).map(|&i| &self.measures[i])
    }

    pub fn code(&self, code: &str) -> Option<&Code> {
        self.code_index.get(code).map(|&i| &self.codes[i])
    }

    pub fn codes(&self) -> &[Code] {
        &self.codes
    }

    /// The codes of one family (SEX, AGE, …) or scheme (AGE_YTHADULT), in the ILO's order.
    pub fn codes_of<'a>(&'a self, family_or_scheme: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes.iter().filter(move |c| c.family == family_or_scheme || c.scheme() == family_or_scheme)
    }

    /// The total code of a code's scheme (`ECO_SECTOR_AGR` → `ECO_SECTOR_TOTAL`).
    pub fn total_of(&self, code: &str) -> Option<&Code> {
        let scheme = self.code(code)?.scheme().to_string();
        self.codes.iter().find(|c| c.total && c.scheme() == scheme)
    }

    /// How ILOSTAT's label format names a scheme ("Age (Youth, adults)").
    pub fn scheme_label(&self, scheme: &str) -> Option<&str> {
        self.scheme_labels.get(scheme).map(String::as_str)
    }

    /// The code a label-format classification names ("Sex: Total" → `SEX_T`).
    pub fn code_from_label(&self, label: &str) -> Option<&Code> {
        let (scheme_label, name) = label.split_once(": ")?;
        let scheme = self.scheme_labels.iter().find(|(_, l)| l.as_str() == scheme_label)?.0;
        self.codes.iter().find(|c| c.scheme() == scheme && c.name == name.trim())
    }

    /// The bulk code a label-format indicator label stands for.
    pub fn series_from_label(&self, label: &str) -> Option<&str> {
        self.series_labels.get(label.trim()).map(String::as_str)
    }

    /// The series a bulk code names, if its measure and dimensions are known.
    pub fn series(&self, bulk: &str) -> Result<Series, String> {
        let parts: Vec<&str> = bulk.split('_').collect();
        if parts.len() < 4 {
            return Err(format!("`{bulk}` is not an ILOSTAT indicator code (like EAP_DWAP_SEX_AGE_RT)"));
        }
        let suffix = parts[parts.len() - 1];
        let measure = format!("{}_{}_{}", parts[0], parts[1], suffix);
        if self.measure(&measure).is_none() {
            return Err(format!("`{bulk}`: measure {measure} is not one Tripart collects"));
        }
        let middle = &parts[2..parts.len() - 1];
        let dims: Vec<String> =
            if middle == ["NOC"] { Vec::new() } else { middle.iter().map(|s| s.to_string()).collect() };
        self.check_dims(bulk, &dims)?;
        Ok(Series { code: bulk.to_string(), measure, dims })
    }

    /// The series of an SDMX measure broken down by the given dimensions (in any order).
    pub fn series_of(&self, measure: &str, dims: &[&str]) -> Result<Series, String> {
        if self.measure(measure).is_none() {
            return Err(format!("measure {measure} is not one Tripart collects"));
        }
        let mut ordered: Vec<String> = Vec::new();
        for d in DIMENSIONS {
            if dims.contains(&d) {
                ordered.push(d.to_string());
            }
        }
        if let Some(unknown) = dims.iter().find(|d| !DIMENSIONS.contains(d)) {
            return Err(format!("dimension {unknown} is not one Tripart breaks series down by"));
        }
        let probe = Series { code: String::new(), measure: measure.to_string(), dims: ordered };
        probe.with_measure(measure).ok_or_else(|| format!("measure {measure} has no suffix"))
    }

    fn check_dims(&self, bulk: &str, dims: &[String]) -> Result<(), String> {
        if let Some(d) = dims.iter().find(|d| !DIMENSIONS.contains(&d.as_str())) {
            return Err(format!("`{bulk}`: Tripart has no classification {d}"));
        }
        let positions: Vec<usize> =
            dims.iter().filter_map(|d| DIMENSIONS.iter().position(|x| *x == d.as_str())).collect();
        if positions.windows(2).any(|w| w[0] >= w[1]) || dims.len() > 3 || dims.iter().skip(1).any(|d| d == "SEX") {
            return Err(format!("`{bulk}`: the classifications must come in ILOSTAT's order (SEX, AGE, GEO, ECO, INS, MIG), at most two besides SEX"));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bulk_and_sdmx_codes_map_one_to_one() {
        let r = Registry::get();
        let s = r.series("EAP_DWAP_SEX_AGE_RT").unwrap();
        assert_eq!(s.measure, "EAP_DWAP_RT");
        assert_eq!(s.dims, ["SEX", "AGE"]);
        assert_eq!(r.series_of("EAP_DWAP_RT", &["AGE", "SEX"]).unwrap(), s);
        let noc = r.series("GDP_211P_NOC_NB").unwrap();
        assert!(noc.dims.is_empty());
        assert_eq!(r.series_of("GDP_211P_NB", &[]).unwrap(), noc);
        assert_eq!(s.with_measure("POP_XWAP_NB").unwrap().code, "POP_XWAP_SEX_AGE_NB");
        assert_eq!(r.series("UNE_DEAP_SEX_AGE_GEO_RT").unwrap().classifs(), ["AGE", "GEO"]);
    }

    #[test]
    fn unknown_measures_and_disordered_dimensions_are_refused() {
        let r = Registry::get();
        assert!(r.series("XYZ_ABCD_SEX_RT").unwrap_err().contains("not one Tripart collects"));
        assert!(r.series("EAP_DWAP_AGE_SEX_RT").unwrap_err().contains("order"));
        assert!(r.series("EAP_DWAP_SEX_PROV_RT").unwrap_err().contains("PROV"));
        assert!(r.series("RT").is_err());
    }

    #[test]
    fn labels_and_totals() {
        let r = Registry::get();
        assert_eq!(r.code_from_label("Sex: Total").unwrap().code, "SEX_T");
        assert_eq!(r.code_from_label("Institutional sector: Public").unwrap().code, "INS_SECTOR_PUB");
        assert_eq!(r.code_from_label("Age (Youth, adults): 15-24").unwrap().code, "AGE_YTHADULT_Y15-24");
        assert_eq!(r.total_of("ECO_SECTOR_AGR").unwrap().code, "ECO_SECTOR_TOTAL");
        assert_eq!(r.total_of("SEX_F").unwrap().code, "SEX_T");
    }

    #[test]
    fn every_rate_knows_its_levels() {
        for m in Registry::get().measures() {
            if m.kind == Kind::Rate {
                assert!(m.numerator.is_some() && m.denominator.is_some(), "{}", m.code);
            }
            if m.kind == Kind::Scale {
                assert!(m.scale.len() >= 2, "{}", m.code);
            }
        }
    }
}
