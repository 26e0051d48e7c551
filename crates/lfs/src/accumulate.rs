//! The single pass: each row is classified by the ILO rules and its weight added to the
//! totals of its PSU and elementary cell (the sufficient statistics). Memory grows with
//! PSUs × non-empty cells, never with rows (except when the design names no PSU, where each
//! person is its own PSU). No estimation here: see `estimate`.

use crate::input::{Batch, NULL};
use crate::roles::Role;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Measures of the main family: 0/1 indicators whose weighted totals are the levels.
pub mod m {
    pub const WAP: usize = 0;
    pub const LF: usize = 1;
    pub const EMP: usize = 2;
    pub const UNE: usize = 3;
    pub const OLF: usize = 4;
    pub const TRU: usize = 5;
    pub const PLF: usize = 6;
    pub const NEET: usize = 7;
}

/// Elementary cells of the main family: sex (M, F) × 5-year age band (15-19 … 60-64, 65+) ×
/// area (urban, rural, not classified) within one combination of the `--by` variables.
pub const SEXES: usize = 2;
pub const AGE_BANDS: usize = 11;
pub const GEOS: usize = 3;
pub const CELLS_PER_COMBO: usize = SEXES * AGE_BANDS * GEOS;

/// (combo, sex, age band, geo) of a main-family cell.
pub fn split_main_cell(cell: u32) -> (u32, usize, usize, usize) {
    let combo = cell / CELLS_PER_COMBO as u32;
    let r = (cell % CELLS_PER_COMBO as u32) as usize;
    (combo, r / (AGE_BANDS * GEOS), (r / GEOS) % AGE_BANDS, r % GEOS)
}

/// How economic activity is coded in the input, which fixes the eco family's measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcoCoding {
    /// 22 measures: ISIC Rev.4 sections A–U, then X.
    Isic4,
    /// 7 measures: the ILO aggregates 1–6, then 7 (not classified).
    Aggregate,
}

impl EcoCoding {
    pub fn measures(self) -> usize {
        match self {
            EcoCoding::Isic4 => 22,
            EcoCoding::Aggregate => 7,
        }
    }
}

/// What the input allows: fixed once from the column plan.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub has_wap: bool,
    pub has_lfs: bool,
    pub has_geo: bool,
    pub has_tru: bool,
    pub has_plf: bool,
    pub neet: NeetSource,
    pub eco: Option<EcoCoding>,
    pub has_psu: bool,
    pub has_strata: bool,
    pub n_by: usize,
}

impl Layout {
    /// Measures the main family keeps: up to the last one this input can set (they are
    /// numbered so that the labour-force ones come first), so that a file or an indicator
    /// set without TRU, the potential labour force or NEET carries no always-zero totals.
    pub fn main_measures(&self) -> usize {
        if self.neet != NeetSource::None {
            m::NEET + 1
        } else if self.has_plf {
            m::PLF + 1
        } else if self.has_tru {
            m::TRU + 1
        } else if self.has_lfs {
            m::OLF + 1
        } else {
            m::WAP + 1
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeetSource {
    None,
    /// `ilo_neet` = 1.
    Flag,
    /// Not employed and `ilo_edu_attendance` = 2 (not attending); needs `ilo_lfs`.
    Attendance,
}

/// Missing and invalid values met, per variable, in the part of the sample where the
/// variable matters (e.g. economic activity among the employed only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    pub rows: u64,
    /// Rows in the working-age population that entered the estimates.
    pub rows_used: u64,
    /// Weighted total of the rows used.
    pub weight_used: f64,
    pub outside_wap: u64,
    pub weight_missing: u64,
    pub weight_invalid: u64,
    /// Indexed by [`Role::index`].
    pub missing: [u64; 11],
    pub invalid: [u64; 11],
    /// `ilo_wap` = 1 with `ilo_age` below 15 (dropped), or `ilo_wap` ≠ 1 with age 15+ (kept outside).
    pub wap_age_conflict: u64,
    pub strata_missing: u64,
    pub psu_missing: u64,
}

impl Diagnostics {
    fn add(&mut self, o: &Diagnostics) {
        self.rows += o.rows;
        self.rows_used += o.rows_used;
        self.weight_used += o.weight_used;
        self.outside_wap += o.outside_wap;
        self.weight_missing += o.weight_missing;
        self.weight_invalid += o.weight_invalid;
        for i in 0..11 {
            self.missing[i] += o.missing[i];
            self.invalid[i] += o.invalid[i];
        }
        self.wap_age_conflict += o.wap_age_conflict;
        self.strata_missing += o.strata_missing;
        self.psu_missing += o.psu_missing;
    }

    /// One line per variable with problems, each saying what was done with them.
    pub fn report(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut line = |name: &str, missing: u64, invalid: u64, what: &str| {
            if missing + invalid > 0 {
                out.push(format!("{name}: {missing} missing, {invalid} invalid: {what}"));
            }
        };
        line("ilo_wgt", self.weight_missing, self.weight_invalid, "row dropped (a weight must be a number ≥ 0)");
        let handling = |r: Role| match r {
            Role::Sex => "row dropped from every estimate (ILOSTAT has no category for unknown sex)",
            Role::Age => "row dropped (no age band; working-age status needs the age)",
            Role::Wap => "working-age status derived from ilo_age (15+) instead",
            Role::Lfs => {
                "counted outside the labour force, as the ILO harmonisation does for working-age persons with no status"
            }
            Role::Geo => "counted as area not classified (GEO_COV_X)",
            Role::Isic4 => "employed person counted in ECO_ISIC4_X (not classifiable), as ILOSTAT does",
            Role::EcoAggregate => "employed person counted in ECO_AGGREGATE_X (not classified), as ILOSTAT does",
            Role::Tru => "not counted as time-related underemployed",
            Role::OlfDlma => "not counted in the potential labour force",
            Role::EduAttendance => "not counted as NEET",
            Role::Neet => "not counted as NEET",
        };
        for r in Role::ALL {
            line(r.ilo_name(), self.missing[r.index()], self.invalid[r.index()], handling(r));
        }
        if self.wap_age_conflict > 0 {
            out.push(format!(
                "ilo_wap and ilo_age disagree on {} row(s): ilo_wap decides; rows marked working-age under 15 are dropped",
                self.wap_age_conflict
            ));
        }
        if self.strata_missing > 0 {
            out.push(format!("strata: {} missing, put together in a stratum of their own", self.strata_missing));
        }
        if self.psu_missing > 0 {
            out.push(format!("psu: {} missing, put together in one PSU per stratum", self.psu_missing));
        }
        out
    }
}

/// A fast hasher for integer keys (the Fx hash used by rustc): the maps here are hit once
/// per row, and SipHash would cost more than the rest of the row's work.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.hash = (self.hash.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        // Fold the high half in: keys here often differ only in their high 32 bits.
        self.hash ^ (self.hash >> 32)
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Weighted totals per (PSU, elementary cell) for `m` measures, and unweighted counts per
/// (cell, measure). Cells come in blocks (all the cells of one `--by` combination, or both
/// sexes for the activity family); a block per (PSU, combination) maps its cells to slots, so
/// that the rows of one PSU, which files list together, touch a few nearby cache lines.
#[derive(Debug, Clone)]
pub struct Family {
    pub m: usize,
    /// Cells per block.
    pub block: usize,
    block_ids: FxMap<u64, u32>,
    /// (PSU, combination) of each block.
    block_keys: Vec<(u32, u32)>,
    /// block * `block` + cell within the block → slot, or `NO_SLOT`.
    slot_of: Vec<u32>,
    /// `m` totals per slot.
    pub data: Vec<f64>,
    /// cell * m + measure → persons.
    pub counts: Vec<u64>,
}

const NO_SLOT: u32 = u32::MAX;

impl Family {
    fn new(m: usize, block: usize) -> Family {
        Family {
            m,
            block,
            block_ids: FxMap::default(),
            block_keys: Vec::new(),
            slot_of: Vec::new(),
            data: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// The block of (PSU, combination), created on first use.
    #[inline]
    fn block_of(&mut self, psu: u32, combo: u32) -> u32 {
        let key = ((psu as u64) << 32) | combo as u64;
        let next = self.block_keys.len() as u32;
        let id = *self.block_ids.entry(key).or_insert(next);
        if id == next {
            self.block_keys.push((psu, combo));
            self.slot_of.extend(std::iter::repeat_n(NO_SLOT, self.block));
        }
        id
    }

    #[inline]
    fn slot(&mut self, block: u32, local: usize) -> usize {
        let i = block as usize * self.block + local;
        let mut s = self.slot_of[i];
        if s == NO_SLOT {
            s = (self.data.len() / self.m) as u32;
            self.data.extend(std::iter::repeat_n(0.0, self.m));
            self.slot_of[i] = s;
        }
        s as usize * self.m
    }

    /// Adds weight `w` to every measure whose bit is set in `mask`. Every measure is touched
    /// (adding `w × 0`, which leaves a total unchanged), so that the work does not branch on
    /// the row's status: for the main family's few measures this is cheaper than a loop over
    /// the set bits, whose length the processor cannot predict.
    #[inline]
    fn add_mask(&mut self, block: u32, local: usize, w: f64, mask: u32) {
        let s = self.slot(block, local);
        let c = self.count_base(block, local);
        let m = self.m;
        debug_assert!(mask >> m == 0, "a measure beyond the family's");
        for (k, (t, n)) in self.data[s..s + m].iter_mut().zip(&mut self.counts[c..c + m]).enumerate() {
            let bit = u64::from((mask >> k) & 1);
            // `w` where the bit is set, +0 where not, without a branch or a conversion.
            *t += f64::from_bits(w.to_bits() & bit.wrapping_neg());
            *n += bit;
        }
    }

    /// Adds weight `w` to measure `k` only (the activity family: one measure per person).
    #[inline]
    fn add_one(&mut self, block: u32, local: usize, w: f64, k: usize) {
        let s = self.slot(block, local);
        let c = self.count_base(block, local);
        self.data[s + k] += w;
        self.counts[c + k] += 1;
    }

    /// Where the person counts of a block's cell start, growing the counts to hold them.
    #[inline]
    fn count_base(&mut self, block: u32, local: usize) -> usize {
        let combo = self.block_keys[block as usize].1 as usize;
        let c = (combo * self.block + local) * self.m;
        if c + self.m > self.counts.len() {
            self.counts.resize(c + self.m, 0);
        }
        c
    }

    /// Every (PSU, cell, slot) holding totals.
    pub fn entries(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        self.block_keys.iter().enumerate().flat_map(move |(b, &(psu, combo))| {
            let row = &self.slot_of[b * self.block..(b + 1) * self.block];
            row.iter()
                .enumerate()
                .filter(|(_, s)| **s != NO_SLOT)
                .map(move |(local, s)| (psu, (combo as usize * self.block + local) as u32, *s))
        })
    }

    pub fn n_slots(&self) -> usize {
        self.data.len() / self.m
    }
}

/// Everything one thread has gathered; threads' accumulators are merged by key.
#[derive(Debug, Clone)]
pub struct Accumulator {
    pub layout: Layout,
    psu_ids: FxMap<(i64, i64), u32>,
    /// (stratum key, PSU key) per PSU id.
    pub psu_keys: Vec<(i64, i64)>,
    combo_ids: HashMap<Vec<i64>, u32>,
    /// The `--by` values of each combo id.
    pub combo_keys: Vec<Vec<i64>>,
    pub main: Family,
    pub eco: Option<Family>,
    pub diag: Diagnostics,
}

fn col(b: &Batch, r: Role) -> Option<&[i64]> {
    b.codes.get(r.index()).and_then(|c| c.as_deref())
}

impl Accumulator {
    pub fn new(layout: Layout) -> Accumulator {
        Accumulator {
            layout,
            psu_ids: FxMap::default(),
            psu_keys: Vec::new(),
            combo_ids: HashMap::new(),
            combo_keys: Vec::new(),
            main: Family::new(layout.main_measures(), CELLS_PER_COMBO),
            eco: layout.eco.map(|e| Family::new(e.measures(), SEXES)),
            diag: Diagnostics::default(),
        }
    }

    fn psu_id(&mut self, key: (i64, i64)) -> u32 {
        let next = self.psu_keys.len() as u32;
        let id = *self.psu_ids.entry(key).or_insert(next);
        if id == next {
            self.psu_keys.push(key);
        }
        id
    }

    fn combo_id(&mut self, key: &[i64]) -> u32 {
        if let Some(id) = self.combo_ids.get(key) {
            return *id;
        }
        let id = self.combo_keys.len() as u32;
        self.combo_keys.push(key.to_vec());
        self.combo_ids.insert(key.to_vec(), id);
        id
    }

    /// The single pass over one batch.
    pub fn add(&mut self, b: &Batch) {
        let lay = self.layout;
        // Every column cut to the batch's length up front, so that the row loop below reads
        // them without a bounds check per value.
        let n = b.len;
        let col = |r: Role| col(b, r).map(|v| &v[..n]);
        let sex = col(Role::Sex);
        let age = col(Role::Age);
        let wap = col(Role::Wap);
        let geo = col(Role::Geo);
        let lfs = col(Role::Lfs);
        let isic = col(Role::Isic4);
        let aggr = col(Role::EcoAggregate);
        let tru = col(Role::Tru);
        let dlma = col(Role::OlfDlma);
        let att = col(Role::EduAttendance);
        let neet = col(Role::Neet);
        let weight = &b.weight[..n];
        let strata = b.strata.as_deref().map(|v| &v[..n]);
        let psu_col = b.psu.as_deref().map(|v| &v[..n]);
        let d = &mut self.diag;
        let mut last_psu: Option<((i64, i64), u32)> = None;
        let mut last_combo: Option<(Vec<i64>, u32)> = None;
        let mut last_block: Option<(u32, u32, u32)> = None;
        let mut last_eco: Option<(u32, u32)> = None;
        let mut combo_key: Vec<i64> = vec![0; b.by.len()];
        d.rows += b.len as u64;
        for i in 0..n {
            let w = weight[i];
            if w.is_nan() {
                self.diag.weight_missing += 1;
                continue;
            }
            if !(w.is_finite() && w >= 0.0) {
                self.diag.weight_invalid += 1;
                continue;
            }
            let d = &mut self.diag;
            // Working-age population: ilo_wap = 1 where given (the ILO convention leaves it
            // missing otherwise), else age 15+.
            let a = age.map(|v| v[i]);
            let age_ok = matches!(a, Some(x) if (0..=150).contains(&x));
            let in_wap = match wap.map(|v| v[i]) {
                Some(1) => {
                    if age_ok && a.unwrap_or(0) < 15 {
                        d.wap_age_conflict += 1;
                        continue;
                    }
                    true
                }
                Some(x) if x == NULL || x == 0 => {
                    if age_ok && a.unwrap_or(0) >= 15 {
                        d.wap_age_conflict += 1;
                    }
                    false
                }
                Some(_) => {
                    d.invalid[Role::Wap.index()] += 1;
                    if !age_ok {
                        count_bad(d, Role::Age, a.unwrap_or(NULL));
                        continue;
                    }
                    a.unwrap_or(0) >= 15
                }
                None => {
                    if !age_ok {
                        count_bad(d, Role::Age, a.unwrap_or(NULL));
                        continue;
                    }
                    a.unwrap_or(0) >= 15
                }
            };
            if !in_wap {
                d.outside_wap += 1;
                continue;
            }
            let band = match a {
                Some(x) if age_ok => ((x.clamp(15, 65) - 15) / 5) as usize,
                _ => {
                    count_bad(d, Role::Age, a.unwrap_or(NULL));
                    continue;
                }
            };
            // Tested as a range and turned into an index by arithmetic: men and women come in
            // no order, and a branch per value would be mispredicted half the time.
            let s = match sex.map(|v| v[i]) {
                Some(x) if x == 1 || x == 2 => (x - 1) as usize,
                Some(x) => {
                    count_bad(d, Role::Sex, x);
                    continue;
                }
                None => {
                    d.missing[Role::Sex.index()] += 1;
                    continue;
                }
            };
            let g = match geo.map(|v| v[i]) {
                Some(1) => 0,
                Some(2) => 1,
                Some(x) => {
                    count_bad(d, Role::Geo, x);
                    2
                }
                None => 2,
            };
            let mut mask: u32 = 1 << m::WAP;
            let mut employed = false;
            if let Some(l) = lfs {
                // The measures of each status by table look-up, without a branch per status.
                const STATUS: [u32; 3] = [(1 << m::LF) | (1 << m::EMP), (1 << m::LF) | (1 << m::UNE), 1 << m::OLF];
                let x = l[i];
                let known = (1..=3).contains(&x);
                if known {
                    mask |= STATUS[(x - 1) as usize];
                    employed = x == 1;
                } else {
                    count_bad(d, Role::Lfs, x);
                    mask |= 1 << m::OLF;
                }
                if let (Some(v), true) = (dlma, mask & (1 << m::OLF) != 0) {
                    match v[i] {
                        1 | 2 => mask |= 1 << m::PLF,
                        3..=5 => {}
                        y => count_bad(d, Role::OlfDlma, y),
                    }
                }
                if let (Some(t), true) = (tru, employed) {
                    match t[i] {
                        1 => mask |= 1 << m::TRU,
                        0 | NULL => {}
                        y => count_bad(d, Role::Tru, y),
                    }
                }
            }
            match lay.neet {
                NeetSource::Flag => match neet.map(|v| v[i]) {
                    Some(1) => mask |= 1 << m::NEET,
                    Some(0) | Some(NULL) | None => {}
                    Some(y) => count_bad(d, Role::Neet, y),
                },
                NeetSource::Attendance => {
                    if !employed {
                        match att.map(|v| v[i]) {
                            Some(2) => mask |= 1 << m::NEET,
                            Some(1) | Some(3) | None => {}
                            Some(y) => count_bad(d, Role::EduAttendance, y),
                        }
                    }
                }
                NeetSource::None => {}
            }
            d.rows_used += 1;
            d.weight_used += w;

            let stratum = match strata {
                Some(v) => {
                    if v[i] == NULL {
                        d.strata_missing += 1;
                    }
                    v[i]
                }
                None => 0,
            };
            let psu_key = match psu_col {
                Some(v) => {
                    if v[i] == NULL {
                        d.psu_missing += 1;
                    }
                    v[i]
                }
                None => (b.first_row + i as u64) as i64,
            };
            let key = (stratum, psu_key);
            let psu = match last_psu {
                Some((k, id)) if k == key => id,
                _ => {
                    let id = self.psu_id(key);
                    last_psu = Some((key, id));
                    id
                }
            };
            let combo = if b.by.is_empty() {
                0
            } else {
                for (k, v) in combo_key.iter_mut().zip(&b.by) {
                    *k = v[i];
                }
                match &last_combo {
                    Some((k, id)) if *k == combo_key => *id,
                    _ => {
                        let id = self.combo_id(&combo_key);
                        last_combo = Some((combo_key.clone(), id));
                        id
                    }
                }
            };
            let block = match last_block {
                Some((p, c, b)) if p == psu && c == combo => b,
                _ => {
                    let b = self.main.block_of(psu, combo);
                    last_block = Some((psu, combo, b));
                    b
                }
            };
            self.main.add_mask(block, (s * AGE_BANDS + band) * GEOS + g, w, mask);

            // The family (absent when the input or the indicator set has no activity) is tested
            // with the person's status, which comes in no order, so that without it no branch
            // on the status remains.
            if let (Some(fam), Some(coding), true) = (self.eco.as_mut(), lay.eco, employed) {
                let k = match coding {
                    EcoCoding::Isic4 => match isic.map(|v| v[i]) {
                        Some(x) if (1..=22).contains(&x) => (x - 1) as usize,
                        Some(x) => {
                            count_bad(&mut self.diag, Role::Isic4, x);
                            21
                        }
                        None => 21,
                    },
                    EcoCoding::Aggregate => match aggr.map(|v| v[i]) {
                        Some(x) if (1..=7).contains(&x) => (x - 1) as usize,
                        Some(x) => {
                            count_bad(&mut self.diag, Role::EcoAggregate, x);
                            6
                        }
                        None => 6,
                    },
                };
                let block = match last_eco {
                    Some((p, b)) if p == psu => b,
                    _ => {
                        let b = fam.block_of(psu, 0);
                        last_eco = Some((psu, b));
                        b
                    }
                };
                fam.add_one(block, s, w, k);
            }
        }
    }

    /// Folds another thread's accumulator into this one, re-keying its PSUs and combos.
    pub fn merge(&mut self, o: Accumulator) {
        let psu_map: Vec<u32> = o.psu_keys.iter().map(|k| self.psu_id(*k)).collect();
        let combo_map: Vec<u32> = o.combo_keys.iter().map(|k| self.combo_id(k)).collect();
        merge_family(&mut self.main, &o.main, &psu_map, &combo_map);
        if let (Some(mine), Some(theirs)) = (self.eco.as_mut(), o.eco.as_ref()) {
            merge_family(mine, theirs, &psu_map, &[]);
        }
        self.diag.add(&o.diag);
    }
}

fn merge_family(into: &mut Family, from: &Family, psu_map: &[u32], combo_map: &[u32]) {
    let m = from.m;
    for (psu, cell, slot) in from.entries() {
        let combo = cell as usize / from.block;
        let local = cell as usize % from.block;
        let new_combo = combo_map.get(combo).copied().unwrap_or(combo as u32);
        let b = into.block_of(psu_map[psu as usize], new_combo);
        let s = into.slot(b, local);
        let src = slot as usize * m;
        for k in 0..m {
            into.data[s + k] += from.data[src + k];
        }
    }
    for (i, c) in from.counts.iter().enumerate() {
        if *c > 0 {
            let cell = i / m;
            let combo = cell / from.block;
            let new_combo = combo_map.get(combo).copied().unwrap_or(combo as u32) as usize;
            let j = (new_combo * from.block + cell % from.block) * m + i % m;
            if j >= into.counts.len() {
                into.counts.resize((j / m + 1) * m, 0);
            }
            into.counts[j] += c;
        }
    }
}

fn count_bad(d: &mut Diagnostics, r: Role, v: i64) {
    if v == NULL {
        d.missing[r.index()] += 1;
    } else {
        d.invalid[r.index()] += 1;
    }
}
