//! The single pass: each row is classified by the ILO rules and its weight added to the
//! totals of its PSU and elementary cell (the sufficient statistics). Memory grows with
//! PSUs × non-empty cells, never with rows (except when the design names no PSU, where each
//! person is its own PSU). No estimation here: see `estimate`.
//!
//! A batch is classified column by column, by tests without branches that the compiler
//! vectorises and that know the usual rows; a row they do not (a missing or invalid value, a
//! clash of age and working-age status) goes through the full rules, which count it in the
//! diagnostics. Rows are then added, run by run of rows with the same PSU, to the PSU's open
//! block: one addition per row, to its cell's profile (the combination of measures it counts
//! in), made into the measures' totals when the PSU is done.

use crate::input::{Batch, Code, MISSING_KEY, NULL};
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
/// sexes for the activity family); a block per (PSU, combination) says which of its cells
/// hold totals, in consecutive slots.
#[derive(Debug, Clone)]
pub struct Family {
    pub m: usize,
    /// Cells per block (at most 128).
    pub block: usize,
    block_ids: FxMap<u64, u32>,
    /// (PSU, combination) of each block.
    block_keys: Vec<(u32, u32)>,
    /// Per block: its cells holding totals (a bit per cell) and the slot of the first, the
    /// others following in cell order.
    block_cells: Vec<(u128, u32)>,
    /// `m` totals per slot, in segments: each thread's family keeps its own when merged, so
    /// that merging moves them instead of copying. Slot `s` is number `s & SLOT_MASK` of
    /// segment `s >> SEGMENT_SHIFT`; new slots go to the last segment.
    segments: Vec<Vec<f64>>,
    /// cell * m + measure → persons.
    pub counts: Vec<u64>,
}

const SEGMENT_SHIFT: u32 = 26;
const SLOT_MASK: u32 = (1 << SEGMENT_SHIFT) - 1;

impl Family {
    fn new(m: usize, block: usize) -> Family {
        debug_assert!(block <= 128, "a block's cells are bits of a u128");
        Family {
            m,
            block,
            block_ids: FxMap::default(),
            block_keys: Vec::new(),
            block_cells: Vec::new(),
            segments: vec![Vec::new()],
            counts: Vec::new(),
        }
    }

    /// The block of (PSU, combination), created on first use, and whether it held totals
    /// already.
    fn open_block(&mut self, psu: u32, combo: u32) -> (u32, bool) {
        let key = ((psu as u64) << 32) | combo as u64;
        let next = self.block_keys.len() as u32;
        let id = *self.block_ids.entry(key).or_insert(next);
        if id == next {
            self.block_keys.push((psu, combo));
            self.block_cells.push((0, 0));
        }
        (id, id < next)
    }

    /// Writes a block's totals: `rows` holds those of the cells in `cells`, in cell order,
    /// `m` each. They take new consecutive slots (those the block had are left unused).
    fn write_block(&mut self, block: u32, cells: u128, rows: &[f64]) {
        let segment = self.segments.len() - 1;
        let last = &mut self.segments[segment];
        let first = (last.len() / self.m) as u32;
        debug_assert!(first as usize + cells.count_ones() as usize <= SLOT_MASK as usize, "a segment holds 2^26 slots");
        last.extend_from_slice(rows);
        self.block_cells[block as usize] = (cells, (segment as u32) << SEGMENT_SHIFT | first);
    }

    /// The `m` totals of a slot.
    pub fn totals(&self, slot: u32) -> &[f64] {
        let at = (slot & SLOT_MASK) as usize * self.m;
        &self.segments[(slot >> SEGMENT_SHIFT) as usize][at..at + self.m]
    }

    /// Adds person counts to a cell's, growing the counts to hold them.
    fn add_counts(&mut self, cell: usize, n: &[u32]) {
        let c = cell * self.m;
        if c + self.m > self.counts.len() {
            self.counts.resize(c + self.m, 0);
        }
        for (t, &k) in self.counts[c..c + self.m].iter_mut().zip(n) {
            *t += u64::from(k);
        }
    }

    /// (PSU, combination) of each block.
    pub fn blocks(&self) -> &[(u32, u32)] {
        &self.block_keys
    }

    /// The (cell within the block, slot) of each cell of block `b` holding totals, in cell
    /// order.
    fn slots_of(&self, b: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let (mut cells, first) = self.block_cells[b];
        let mut slot = first;
        std::iter::from_fn(move || {
            (cells != 0).then(|| {
                let local = cells.trailing_zeros() as usize;
                cells &= cells - 1;
                slot += 1;
                (local, slot - 1)
            })
        })
    }

    /// The (cell, slot) of each cell of block `b` holding totals, in cell order.
    pub fn cells_of(&self, b: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let base = self.block_keys[b].1 as usize * self.block;
        self.slots_of(b).map(move |(local, slot)| ((base + local) as u32, slot))
    }
}

/// The activity family's open block while its PSU's rows are read: per sex, a lane per
/// measure, to which an employed person adds their weight (the same sum, in the same order,
/// as adding to the slot row by row). A block opened again starts from the totals it had.
#[derive(Debug, Clone)]
struct EcoScratch {
    block: u32,
    /// The cells that held totals when the block was opened.
    held: u128,
    totals: [[f64; ECO_LANES]; SEXES],
    counts: [[u32; ECO_LANES]; SEXES],
}

impl EcoScratch {
    fn new() -> EcoScratch {
        EcoScratch { block: 0, held: 0, totals: [[0.0; ECO_LANES]; SEXES], counts: [[0; ECO_LANES]; SEXES] }
    }

    fn load(&mut self, fam: &Family, block: u32) {
        self.block = block;
        let m = fam.m;
        for (local, slot) in fam.slots_of(block as usize) {
            self.totals[local][..m].copy_from_slice(fam.totals(slot));
            self.held |= 1 << local;
        }
    }

    /// Adds the rows of a run. Persons not counted here add +0 to a spare lane, spread over
    /// several so that those additions do not queue behind one another: no branch depends on
    /// the status.
    #[inline]
    fn add_rows(&mut self, classes: &[u32], weights: &[f64]) {
        for (spare, (&class, &w)) in classes.iter().zip(weights).enumerate() {
            let e = (class >> ECO_SHIFT & 0xff) as usize;
            let counted = e != NO_ECO as usize;
            let lane = if counted { e } else { ECO_SPARE + (spare & 7) } & (ECO_LANES - 1);
            let w = if counted { w } else { 0.0 };
            let sex = usize::from((class & 0x7f) as usize >= CELLS_PER_COMBO / SEXES);
            self.totals[sex][lane] += w;
            self.counts[sex][lane] += u32::from(counted);
        }
    }

    /// Writes the totals of the cells some row reached or that held totals already, adds the
    /// counts, and leaves the scratch zeroed for the next block.
    fn store(&mut self, fam: &mut Family) {
        let m = fam.m;
        let mut cells = self.held;
        let mut rows = [0.0; ECO_LANES * SEXES];
        let mut filled = 0;
        for (local, (t, n)) in self.totals.iter_mut().zip(self.counts.iter_mut()).enumerate() {
            if n.iter().any(|&k| k > 0) {
                cells |= 1 << local;
                fam.add_counts(local, &n[..m]);
            }
            if cells >> local & 1 == 1 {
                rows[filled..filled + m].copy_from_slice(&t[..m]);
                filled += m;
            }
            *t = [0.0; ECO_LANES];
            *n = [0; ECO_LANES];
        }
        if cells != 0 {
            fam.write_block(self.block, cells, &rows[..filled]);
        }
        self.held = 0;
    }
}

/// Main-family measures (the most the family keeps is eight).
const MAIN_LANES: usize = 8;
/// Cells the main family's scratch holds: the 66 of a combination, rounded up to a power of
/// two so that a masked index needs no bounds check.
const MAIN_CELLS: usize = 128;
/// Activity-family lanes: the 22 measures, then spare lanes from `ECO_SPARE`.
const ECO_LANES: usize = 32;
const ECO_SPARE: usize = 24;

/// Profiles: the combinations of main-family measures a person can count in, numbered by
/// labour status (none given, employed, unemployed, outside the labour force; bits 0–1),
/// time-related underemployment for the employed or the potential labour force for those
/// outside (bit 2), and NEET (bit 3). A row adds its weight once, to its profile's total; a
/// measure's total is the sum of its profiles'.
const PROFILES: usize = 16;

const fn mask_profile(mask: usize) -> usize {
    let status = if mask & (1 << m::EMP) != 0 {
        1
    } else if mask & (1 << m::UNE) != 0 {
        2
    } else if mask & (1 << m::OLF) != 0 {
        3
    } else {
        0
    };
    let extra = if mask & ((1 << m::TRU) | (1 << m::PLF)) != 0 { 4 } else { 0 };
    let neet = if mask & (1 << m::NEET) != 0 { 8 } else { 0 };
    status | extra | neet
}

const fn profile_mask(profile: usize) -> u8 {
    let status = match profile & 3 {
        1 => (1 << m::LF) | (1 << m::EMP),
        2 => (1 << m::LF) | (1 << m::UNE),
        3 => 1 << m::OLF,
        _ => 0,
    };
    let extra = match (profile & 3, profile & 4 != 0) {
        (1, true) => 1 << m::TRU,
        (3, true) => 1 << m::PLF,
        _ => 0,
    };
    let neet = if profile & 8 != 0 { 1 << m::NEET } else { 0 };
    (1 << m::WAP) | status | extra | neet
}

const MASK_PROFILE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut mask = 0;
    while mask < 256 {
        t[mask] = mask_profile(mask) as u8;
        mask += 1;
    }
    t
};

/// Per profile and measure, all bits or none: masks that keep a profile's weight and persons
/// for the measures it counts in.
const PROFILE_SHARE: [[u64; MAIN_LANES]; PROFILES] = {
    let mut t = [[0; MAIN_LANES]; PROFILES];
    let mut profile = 0;
    while profile < PROFILES {
        let mask = profile_mask(profile);
        let mut k = 0;
        while k < MAIN_LANES {
            if mask >> k & 1 == 1 {
                t[profile][k] = u64::MAX;
            }
            k += 1;
        }
        profile += 1;
    }
    t
};

/// The main family's open block while its PSU's rows are read: per cell, the weight and
/// persons of each profile, turned into the measures' totals when the block is stored. A
/// block opened again (a PSU continued after other PSUs' rows) starts from the totals it had.
#[derive(Debug, Clone)]
struct MainScratch {
    block: u32,
    combo: u32,
    /// The cells that held totals when the block was opened.
    held: u128,
    /// The totals the block held when opened.
    base: Box<[[f64; MAIN_LANES]; MAIN_CELLS]>,
    sums: Box<[[f64; PROFILES]; MAIN_CELLS]>,
    persons: Box<[[u32; PROFILES]; MAIN_CELLS]>,
    /// The stored cells' measures, in cell order, on their way to the family.
    rows: Vec<f64>,
}

impl MainScratch {
    fn new() -> MainScratch {
        MainScratch {
            block: 0,
            combo: 0,
            held: 0,
            base: Box::new([[0.0; MAIN_LANES]; MAIN_CELLS]),
            sums: Box::new([[0.0; PROFILES]; MAIN_CELLS]),
            persons: Box::new([[0; PROFILES]; MAIN_CELLS]),
            rows: Vec::new(),
        }
    }

    fn load(&mut self, fam: &Family, block: u32, combo: u32) {
        self.block = block;
        self.combo = combo;
        let m = fam.m;
        for (local, slot) in fam.slots_of(block as usize) {
            self.base[local][..m].copy_from_slice(fam.totals(slot));
            self.held |= 1 << local;
        }
    }

    /// Adds the rows of a run: each its weight to its cell's profile, once. A row outside the
    /// estimates (no measure, so not even the working-age bit) adds +0 and no person, so that
    /// no branch depends on which rows are in. Adds the weight of the rows in to
    /// `weight_used`, row by row.
    #[inline]
    fn add_rows(&mut self, classes: &[u32], weights: &[f64], weight_used: &mut f64) {
        let mut total = *weight_used;
        for (&class, &w) in classes.iter().zip(weights) {
            let cell = (class & 0x7f) as usize & (MAIN_CELLS - 1);
            let mask = (class >> MASK_SHIFT & 0xff) as usize;
            let used = (mask >> m::WAP) as u64 & 1;
            let w = f64::from_bits(w.to_bits() & used.wrapping_neg());
            total += w;
            let k = MASK_PROFILE[mask] as usize & (PROFILES - 1);
            self.sums[cell][k] += w;
            self.persons[cell][k] += used as u32;
        }
        *weight_used = total;
    }

    /// Writes the measures of each cell some row reached (its base, then its profiles' sums
    /// in profile order) or that held totals already, and the counts, to the family, and
    /// leaves the scratch zeroed for the next block.
    fn store(&mut self, fam: &mut Family) {
        let m = fam.m;
        let mut cells = self.held;
        self.rows.clear();
        for local in 0..fam.block {
            let persons = &mut self.persons[local];
            let reached = persons.iter().any(|&k| k > 0);
            if !reached && self.held >> local & 1 == 0 {
                continue;
            }
            let sums = &mut self.sums[local];
            let mut totals = self.base[local];
            if reached {
                let mut counts = [0u32; MAIN_LANES];
                for (profile, (&sum, &n)) in sums.iter().zip(persons.iter()).enumerate() {
                    if n == 0 {
                        continue;
                    }
                    // Every lane at once: the sum where the profile has the measure, +0 where
                    // not (which leaves a total as it is).
                    let share = &PROFILE_SHARE[profile];
                    for k in 0..MAIN_LANES {
                        totals[k] += f64::from_bits(sum.to_bits() & share[k]);
                        counts[k] += n & share[k] as u32;
                    }
                }
                fam.add_counts(self.combo as usize * fam.block + local, &counts[..m]);
                cells |= 1 << local;
            }
            self.rows.extend_from_slice(&totals[..m]);
            *sums = [0.0; PROFILES];
            *persons = [0; PROFILES];
            self.base[local] = [0.0; MAIN_LANES];
        }
        if cells != 0 {
            fam.write_block(self.block, cells, &self.rows);
        }
        self.held = 0;
    }
}

/// A variable the input does not have: a column of these stands in for it, so that the row
/// loop does not branch on which columns exist. Codes read from data are never negative (the
/// readers turn negative values into [`INVALID`](crate::input::INVALID)), so it cannot be met
/// in a file.
const ABSENT: Code = -2;

/// A row's class, packed in one word: its main-family cell (bits 0–6), its main-family
/// measures (8–15), its activity measure (16–23) and its state (24–25).
const MASK_SHIFT: u32 = 8;
const ECO_SHIFT: u32 = 16;
const STATE_SHIFT: u32 = 24;
/// States: outside the estimates, in them; the unusual bit sends a row to the full rules
/// whatever else it says.
const LEFT_OUT: u32 = 0;
const USED: u32 = 1;
const UNUSUAL: u32 = 2;
const STATE: u32 = 3 << STATE_SHIFT;
/// The activity-family measure of a person not counted there.
const NO_ECO: u32 = 0xff;

fn pack(cell: u32, mask: u32, eco: u32, state: u32) -> u32 {
    cell | mask << MASK_SHIFT | eco << ECO_SHIFT | state << STATE_SHIFT
}

/// Per-row buffers reused between batches.
#[derive(Debug, Clone, Default)]
struct Work {
    class: Vec<u32>,
    combo_key: Vec<i64>,
}

/// One batch's columns cut to its length, an absent variable reading as [`ABSENT`].
struct Columns<'a> {
    weight: &'a [f64],
    sex: &'a [Code],
    age: &'a [Code],
    wap: &'a [Code],
    geo: &'a [Code],
    lfs: &'a [Code],
    tru: &'a [Code],
    dlma: &'a [Code],
    att: &'a [Code],
    neet: &'a [Code],
    /// The activity column the layout's coding reads, and its highest code.
    eco: &'a [Code],
    eco_max: Code,
    strata: Option<&'a [i64]>,
    psu: Option<&'a [i64]>,
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
    work: Work,
    absent: Vec<Code>,
    /// The open blocks of the PSU being read: main family per combination, activity family.
    open_main: Vec<MainScratch>,
    spare_main: Vec<MainScratch>,
    open_eco: Option<EcoScratch>,
    open_psu: Option<u32>,
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
            work: Work::default(),
            absent: Vec::new(),
            open_main: Vec::new(),
            spare_main: Vec::new(),
            open_eco: None,
            open_psu: None,
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

    /// The single pass over one batch, in two steps: each row is classified (cell and
    /// measures) by a test without branches that knows the usual rows, unusual ones going
    /// through the full rules with their diagnostics; then the rows in the estimates are added
    /// to their PSU's open blocks, one run of rows with the same keys at a time.
    pub fn add(&mut self, b: &Batch) {
        let n = b.len;
        let mut work = std::mem::take(&mut self.work);
        let mut stand_in = std::mem::take(&mut self.absent);
        if stand_in.len() < n {
            stand_in.resize(n, ABSENT);
        }
        let absent = &stand_in[..n];
        let col = |r: Role| b.codes.get(r.index()).and_then(|c| c.as_deref()).map_or(absent, |v| &v[..n]);
        let lay = self.layout;
        let (eco, eco_max) = match lay.eco {
            Some(EcoCoding::Isic4) => (col(Role::Isic4), 22),
            Some(EcoCoding::Aggregate) => (col(Role::EcoAggregate), 7),
            None => (absent, 0),
        };
        let cols = Columns {
            weight: &b.weight[..n],
            sex: col(Role::Sex),
            age: col(Role::Age),
            wap: col(Role::Wap),
            geo: col(Role::Geo),
            lfs: col(Role::Lfs),
            tru: col(Role::Tru),
            dlma: col(Role::OlfDlma),
            att: col(Role::EduAttendance),
            neet: col(Role::Neet),
            eco,
            eco_max,
            strata: b.strata.as_deref().map(|v| &v[..n]),
            psu: b.psu.as_deref().map(|v| &v[..n]),
        };
        self.diag.rows += n as u64;
        let extras = [Role::Tru, Role::OlfDlma, Role::EduAttendance, Role::Neet, Role::Isic4, Role::EcoAggregate]
            .iter()
            .any(|&r| b.codes.get(r.index()).is_some_and(Option::is_some));
        classify(&mut self.diag, &lay, &cols, extras, &mut work.class);

        // Run by run (rows with the same stratum, PSU and `--by` values), every row is added
        // to the run's open block: a row outside the estimates has no measure and adds +0, so
        // that no branch depends on which rows are in.
        let mut weight_used = self.diag.weight_used;
        let mut start = 0;
        while start < n {
            let end = run_end(b, &cols, start);
            let classes = &work.class[start..end];
            let weights = &cols.weight[start..end];
            let used = classes.iter().filter(|&&c| c & STATE == USED << STATE_SHIFT).count() as u64;
            if used == 0 {
                start = end;
                continue;
            }
            self.diag.rows_used += used;
            if cols.strata.is_some_and(|v| v[start] == MISSING_KEY) {
                self.diag.strata_missing += used;
            }
            if cols.psu.is_some_and(|v| v[start] == MISSING_KEY) {
                self.diag.psu_missing += used;
            }
            let open = self.open(b, &cols, start, &mut work.combo_key);
            self.open_main[open].add_rows(classes, weights, &mut weight_used);
            if let Some(eco) = self.open_eco.as_mut() {
                eco.add_rows(classes, weights);
            }
            start = end;
        }
        self.diag.weight_used = weight_used;
        self.work = work;
        self.absent = stand_in;
    }

    /// Makes the blocks of row `i`'s PSU and combination the open ones (closing the previous
    /// PSU's), and returns the position of its main-family block among them.
    fn open(&mut self, b: &Batch, cols: &Columns, i: usize, combo_key: &mut Vec<i64>) -> usize {
        let stratum = cols.strata.map_or(0, |v| v[i]);
        let psu_key = cols.psu.map_or((b.first_row + i as u64) as i64, |v| v[i]);
        let psu = self.psu_id((stratum, psu_key));
        let combo = if b.by.is_empty() {
            0
        } else {
            combo_key.clear();
            combo_key.extend(b.by.iter().map(|v| v[i]));
            self.combo_id(combo_key)
        };
        if self.open_psu != Some(psu) {
            self.close_psu();
            self.open_psu = Some(psu);
            if let Some(fam) = self.eco.as_mut() {
                let (block, _) = fam.open_block(psu, 0);
                let mut s = self.open_eco.take().unwrap_or_else(EcoScratch::new);
                s.load(fam, block);
                self.open_eco = Some(s);
            }
        }
        if let Some(pos) = self.open_main.iter().position(|s| s.combo == combo) {
            return pos;
        }
        let (block, _) = self.main.open_block(psu, combo);
        let mut s = self.spare_main.pop().unwrap_or_else(MainScratch::new);
        s.load(&self.main, block, combo);
        self.open_main.push(s);
        self.open_main.len() - 1
    }

    /// Writes the open blocks' totals back to their families: once the last batch is added,
    /// before the totals are read.
    pub fn finish(&mut self) {
        self.close_psu();
    }

    /// Writes the open blocks' totals back to their families.
    fn close_psu(&mut self) {
        for mut s in self.open_main.drain(..) {
            s.store(&mut self.main);
            self.spare_main.push(s);
        }
        if let (Some(s), Some(fam)) = (self.open_eco.as_mut(), self.eco.as_mut()) {
            if self.open_psu.is_some() {
                s.store(fam);
            }
        }
        self.open_psu = None;
    }

    /// Folds another thread's accumulator into this one, re-keying its PSUs and combos.
    pub fn merge(&mut self, mut o: Accumulator) {
        self.finish();
        o.finish();
        // Room for the other's PSUs and blocks at once, not by doubling as they come.
        self.psu_ids.reserve(o.psu_keys.len());
        self.psu_keys.reserve(o.psu_keys.len());
        for (mine, theirs) in [(&mut self.main, &o.main)].into_iter().chain(self.eco.as_mut().zip(o.eco.as_ref())) {
            mine.block_ids.reserve(theirs.block_keys.len());
            mine.block_keys.reserve(theirs.block_keys.len());
            mine.block_cells.reserve(theirs.block_cells.len());
        }
        let psu_map: Vec<u32> = o.psu_keys.iter().map(|k| self.psu_id(*k)).collect();
        let combo_map: Vec<u32> = o.combo_keys.iter().map(|k| self.combo_id(k)).collect();
        merge_family(&mut self.main, o.main, &psu_map, &combo_map);
        if let (Some(mine), Some(theirs)) = (self.eco.as_mut(), o.eco) {
            merge_family(mine, theirs, &psu_map, &[]);
        }
        self.diag.add(&o.diag);
    }
}

/// Every row's class: the usual rows by the tests without branches, the others by the full
/// rules, which count their diagnostics. `extras` says whether any variable beyond the core
/// indicators' is read.
fn classify(d: &mut Diagnostics, lay: &Layout, cols: &Columns, extras: bool, class: &mut Vec<u32>) {
    class.resize(cols.weight.len(), 0);
    let (outside, mut unusual) = classify_usual(cols, class);
    d.outside_wap += outside;
    if extras {
        unusual += classify_extras(lay, cols, class);
    }
    let (bad_outside, bad) = check_weights(cols.weight, class);
    d.outside_wap -= bad_outside;
    if unusual + bad > 0 {
        for (i, c) in class.iter_mut().enumerate() {
            if *c & UNUSUAL << STATE_SHIFT != 0 {
                *c = classify_row(d, lay, cols, i);
            }
        }
    }
}

/// The end of the run of rows from `start` with its stratum, PSU and `--by` values (a run of
/// one row when the design names no PSU: each person is then a PSU).
fn run_end(b: &Batch, c: &Columns, start: usize) -> usize {
    let n = c.weight.len();
    let Some(psu) = c.psu else { return start + 1 };
    let same = |v: &[i64], end: usize| start + 1 + leading(&v[start + 1..end], v[start]);
    let mut end = same(psu, n);
    for v in c.strata.into_iter().chain(b.by.iter().map(|v| &v[..n])) {
        end = same(v, end);
    }
    end
}

/// How many of the first values equal `key`: sixteen at a time while they all do (a test
/// without a branch per value, which vectorises), then one by one.
fn leading(v: &[i64], key: i64) -> usize {
    let (lanes, _) = v.as_chunks::<16>();
    let whole = lanes.iter().take_while(|lane| lane.iter().fold(true, |all, &k| all & (k == key))).count() * 16;
    whole + v[whole..].iter().take_while(|&&k| k == key).count()
}

/// Ages at which the 5-year bands after the first start.
const BAND_STARTS: [Code; AGE_BANDS - 1] = [20, 25, 30, 35, 40, 45, 50, 55, 60, 65];

/// The usual rows, classified without branches: an age and a working-age status that agree,
/// and (for a person of working age) sex, area and labour status within their codes. Any
/// other row is marked unusual, for [`classify_row`]; so are rows that [`classify_extras`]
/// or [`check_weights`] find unusual. Usual rows need no diagnostic but the count of those
/// outside the working-age population. The loops are plain arithmetic on 32-bit codes,
/// which the compiler vectorises; the full rules must agree with them on the usual rows (a
/// test below checks it).
fn classify_usual(c: &Columns, class: &mut [u32]) -> (u64, u64) {
    let n = class.len();
    let mut outside = 0u32;
    let mut unusual = 0u32;
    let (sex, age, wap, geo, lfs) = (&c.sex[..n], &c.age[..n], &c.wap[..n], &c.geo[..n], &c.lfs[..n]);
    for i in 0..n {
        let (a, x, sx, g, l) = (age[i], wap[i], sex[i], geo[i], lfs[i]);
        let adult = a >= 15;
        let in_wap = (x == 1) | ((x == ABSENT) & adult);
        let usual_wap = ((x == 1) & adult) | (((x == NULL) | (x == 0)) & !adult) | (x == ABSENT);
        let usual_codes =
            ((sx == 1) | (sx == 2)) & ((g == 1) | (g == 2) | (g == ABSENT)) & ((1..=3).contains(&l) | (l == ABSENT));
        let usual = (0..=150).contains(&a) & usual_wap & (!in_wap | usual_codes);
        // The 5-year band as the number of band starts (20, 25, … 65) reached: compares,
        // which vectorise, where a division by 5 does not.
        let mut band = 0;
        for start in BAND_STARTS {
            band += u32::from(a >= start);
        }
        let area = u32::from(g != 1) + u32::from((g != 1) & (g != 2));
        let cell = ((sx.wrapping_sub(1) & 1) as u32 * AGE_BANDS as u32 + band) * GEOS as u32 + area;
        let mask = 1 << m::WAP
            | u32::from((l == 1) | (l == 2)) << m::LF
            | u32::from(l == 1) << m::EMP
            | u32::from(l == 2) << m::UNE
            | u32::from(l == 3) << m::OLF;
        let used = usual & in_wap;
        let state = u32::from(!usual) * UNUSUAL + u32::from(used) * USED;
        // A row outside the estimates has no measure (the pass adds +0 for it).
        class[i] = pack(cell, u32::from(used) * mask, NO_ECO, state);
        outside += u32::from(usual & !in_wap);
        unusual += u32::from(!usual);
    }
    (outside.into(), unusual.into())
}

/// The variables beyond the core indicators' (time-related underemployment, labour market
/// attachment, NEET, economic activity): their measures for a person of working age, and
/// the unusual bit where a code is out of its range; returns how many rows it marked.
fn classify_extras(lay: &Layout, c: &Columns, class: &mut [u32]) -> u64 {
    let n = class.len();
    let (lfs, tru, dlma, att, neet, eco) =
        (&c.lfs[..n], &c.tru[..n], &c.dlma[..n], &c.att[..n], &c.neet[..n], &c.eco[..n]);
    let neet_flag = lay.neet == NeetSource::Flag;
    let neet_att = lay.neet == NeetSource::Attendance;
    let eco_max = c.eco_max;
    let mut marked = 0u32;
    for i in 0..n {
        let (l, t, dl, at, ne, e) = (lfs[i], tru[i], dlma[i], att[i], neet[i], eco[i]);
        let used = class[i] & STATE == USED << STATE_SHIFT;
        let employed = l == 1;
        let olf = l == 3;
        let usual = (!employed | (t == 0) | (t == 1) | (t == NULL) | (t == ABSENT))
            & (!olf | (1..=5).contains(&dl) | (dl == ABSENT))
            & (!neet_flag | (ne == 0) | (ne == 1) | (ne == NULL))
            & (!neet_att | employed | (1..=3).contains(&at))
            & (!employed | (e == ABSENT) | (1..=eco_max).contains(&e));
        let neet_bit = (neet_flag & (ne == 1)) | (neet_att & !employed & (at == 2));
        let mask = u32::from(used & employed & (t == 1)) << m::TRU
            | u32::from(used & olf & ((dl == 1) | (dl == 2))) << m::PLF
            | u32::from(used & neet_bit) << m::NEET;
        let counted = used & employed & (e != ABSENT);
        let eco = u32::from(counted) * (e.wrapping_sub(1) as u32 & 0xff) + u32::from(!counted) * NO_ECO;
        class[i] = (class[i] & !(0xff << ECO_SHIFT))
            | (mask << MASK_SHIFT)
            | (eco << ECO_SHIFT)
            | (u32::from(used & !usual) * (UNUSUAL << STATE_SHIFT));
        marked += u32::from(used & !usual);
    }
    marked.into()
}

/// Marks rows whose weight is not a number ≥ 0 unusual, and returns how many of them were
/// counted outside the working-age population (the full rules count them again), and how
/// many there are.
fn check_weights(weight: &[f64], class: &mut [u32]) -> (u64, u64) {
    let valid = |w: f64| (0.0..f64::INFINITY).contains(&w);
    // Weights are nearly always all valid: one test for the batch, in lanes of four. NaN and
    // ±∞ make w × 0 a NaN; a negative weight shows in the minimum (−0 passes, as it does
    // `w >= 0.0`).
    let (lanes, rest) = weight.as_chunks::<4>();
    let mut nan = [0.0f64; 4];
    let mut low = [f64::INFINITY; 4];
    for w in lanes {
        for k in 0..4 {
            nan[k] += w[k] * 0.0;
            low[k] = low[k].min(w[k]);
        }
    }
    if nan.iter().all(|&x| x == 0.0) && low.iter().all(|&x| x >= 0.0) && rest.iter().all(|&w| valid(w)) {
        return (0, 0);
    }
    let (mut outside, mut bad) = (0, 0);
    for (c, &w) in class.iter_mut().zip(weight) {
        if !valid(w) {
            outside += u64::from(*c & STATE == LEFT_OUT << STATE_SHIFT);
            bad += 1;
            *c = pack(0, 0, NO_ECO, UNUSUAL);
        }
    }
    (outside, bad)
}

/// The rules for one row, with every missing or invalid value counted (the path for the rows
/// [`classify_usual`] finds unusual): the row's class, `USED` or `LEFT_OUT`.
fn classify_row(d: &mut Diagnostics, lay: &Layout, c: &Columns, i: usize) -> u32 {
    match rules(d, lay, c, i) {
        Some((cell, mask, eco)) => pack(cell, mask, eco, USED),
        None => pack(0, 0, NO_ECO, LEFT_OUT),
    }
}

fn rules(d: &mut Diagnostics, lay: &Layout, c: &Columns, i: usize) -> Option<(u32, u32, u32)> {
    let given = |v: &[Code]| Some(v[i]).filter(|&x| x != ABSENT);
    let w = c.weight[i];
    if w.is_nan() {
        d.weight_missing += 1;
        return None;
    }
    if !(w.is_finite() && w >= 0.0) {
        d.weight_invalid += 1;
        return None;
    }
    // Working-age population: ilo_wap = 1 where given (the ILO convention leaves it missing
    // otherwise), else age 15+.
    let a = given(c.age).unwrap_or(NULL);
    let age_ok = (0..=150).contains(&a);
    let in_wap = match given(c.wap) {
        Some(1) => {
            if age_ok && a < 15 {
                d.wap_age_conflict += 1;
                return None;
            }
            true
        }
        Some(x) if x == NULL || x == 0 => {
            if age_ok && a >= 15 {
                d.wap_age_conflict += 1;
            }
            false
        }
        wap => {
            if wap.is_some() {
                d.invalid[Role::Wap.index()] += 1;
            }
            if !age_ok {
                count_bad(d, Role::Age, a);
                return None;
            }
            a >= 15
        }
    };
    if !in_wap {
        d.outside_wap += 1;
        return None;
    }
    if !age_ok {
        count_bad(d, Role::Age, a);
        return None;
    }
    let band = ((a.clamp(15, 65) - 15) / 5) as u32;
    let s = match given(c.sex) {
        Some(x @ (1 | 2)) => (x - 1) as u32,
        Some(x) => {
            count_bad(d, Role::Sex, x);
            return None;
        }
        None => {
            d.missing[Role::Sex.index()] += 1;
            return None;
        }
    };
    let g = match given(c.geo) {
        Some(1) => 0,
        Some(2) => 1,
        Some(x) => {
            count_bad(d, Role::Geo, x);
            2
        }
        None => 2,
    };
    let mut mask: u8 = 1 << m::WAP;
    let mut employed = false;
    if let Some(x) = given(c.lfs) {
        const STATUS: [u8; 3] = [(1 << m::LF) | (1 << m::EMP), (1 << m::LF) | (1 << m::UNE), 1 << m::OLF];
        if (1..=3).contains(&x) {
            mask |= STATUS[(x - 1) as usize];
            employed = x == 1;
        } else {
            count_bad(d, Role::Lfs, x);
            mask |= 1 << m::OLF;
        }
        if let (Some(v), true) = (given(c.dlma), mask & (1 << m::OLF) != 0) {
            match v {
                1 | 2 => mask |= 1 << m::PLF,
                3..=5 => {}
                y => count_bad(d, Role::OlfDlma, y),
            }
        }
        if let (Some(t), true) = (given(c.tru), employed) {
            match t {
                1 => mask |= 1 << m::TRU,
                0 | NULL => {}
                y => count_bad(d, Role::Tru, y),
            }
        }
    }
    match lay.neet {
        NeetSource::Flag => match given(c.neet) {
            Some(1) => mask |= 1 << m::NEET,
            Some(0) | Some(NULL) | None => {}
            Some(y) => count_bad(d, Role::Neet, y),
        },
        NeetSource::Attendance => {
            if !employed {
                match given(c.att) {
                    Some(2) => mask |= 1 << m::NEET,
                    Some(1) | Some(3) | None => {}
                    Some(y) => count_bad(d, Role::EduAttendance, y),
                }
            }
        }
        NeetSource::None => {}
    }
    let eco = match (lay.eco, employed) {
        (Some(coding), true) => {
            let role = match coding {
                EcoCoding::Isic4 => Role::Isic4,
                EcoCoding::Aggregate => Role::EcoAggregate,
            };
            match given(c.eco) {
                Some(x) if (1..=c.eco_max).contains(&x) => (x - 1) as u32,
                Some(x) => {
                    count_bad(d, role, x);
                    (c.eco_max - 1) as u32
                }
                None => (c.eco_max - 1) as u32,
            }
        }
        _ => NO_ECO,
    };
    Some(((s * AGE_BANDS as u32 + band) * GEOS as u32 + g, u32::from(mask), eco))
}

/// Folds a family into another, its PSUs and combinations renumbered. Its segments of totals
/// are moved over as they are; a block new to `into` keeps its slots (renumbered to the moved
/// segments), and a block both have (a PSU whose rows two threads read) adds the other's
/// totals to its own, cell by cell.
fn merge_family(into: &mut Family, from: Family, psu_map: &[u32], combo_map: &[u32]) {
    let m = from.m;
    let first = into.segments.len() as u32;
    let renumber = |s: u32| ((s >> SEGMENT_SHIFT) + first) << SEGMENT_SHIFT | s & SLOT_MASK;
    // The blocks both have are summed before the segments move: each cell as a new slot
    // would be, from zero, this family's totals first.
    let mut shared = Vec::new();
    for (b, &(psu, combo)) in from.block_keys.iter().enumerate() {
        let new_combo = combo_map.get(combo as usize).copied().unwrap_or(combo);
        let (target, existed) = into.open_block(psu_map[psu as usize], new_combo);
        let (cells, slot) = from.block_cells[b];
        if !existed {
            into.block_cells[target as usize] = (cells, renumber(slot));
            continue;
        }
        let all = into.block_cells[target as usize].0 | cells;
        let mut rows = vec![0.0; all.count_ones() as usize * m];
        for (fam, block) in [(&*into, target as usize), (&from, b)] {
            for (local, slot) in fam.slots_of(block) {
                let at = (all & ((1u128 << local) - 1)).count_ones() as usize * m;
                for (r, v) in rows[at..at + m].iter_mut().zip(fam.totals(slot)) {
                    *r += v;
                }
            }
        }
        shared.push((target, all, rows));
    }
    into.segments.extend(from.segments);
    for (target, cells, rows) in shared {
        into.write_block(target, cells, &rows);
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

fn count_bad(d: &mut Diagnostics, r: Role, v: Code) {
    if v == NULL {
        d.missing[r.index()] += 1;
    } else {
        d.invalid[r.index()] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::INVALID;

    /// A small generator (an LCG), so that the test needs no dependency and repeats.
    struct Draw(u64);

    impl Draw {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }

        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[self.below(from.len() as u64) as usize]
        }
    }

    #[test]
    fn every_profile_gives_back_its_measures() {
        for mask in 0..256usize {
            let status = mask >> m::LF & 0b1111;
            let valid = mask & 1 << m::WAP != 0
                && [0b0000, 0b0011, 0b0101, 0b1000].contains(&status)
                && (mask & 1 << m::TRU == 0 || mask & 1 << m::EMP != 0)
                && (mask & 1 << m::PLF == 0 || mask & 1 << m::OLF != 0);
            if valid {
                assert_eq!(usize::from(profile_mask(mask_profile(mask))), mask, "mask {mask:#010b}");
            }
        }
    }

    /// The tests without branches and the full rules classify every row alike, and count the
    /// same diagnostics, whatever the mix of usual and unusual values and of columns given.
    #[test]
    fn the_usual_rows_test_agrees_with_the_full_rules() {
        let mut draw = Draw(11);
        // Mostly values in their ranges, now and then one that is not (or a clash of age and
        // working-age status), so that both paths see plenty of rows.
        let odd: &[Code] = &[NULL, INVALID, 0, 3, 4, 6, 9, 23, 151, 200];
        let value = |draw: &mut Draw, usual: &[Code]| -> Code {
            if draw.below(12) == 0 {
                draw.pick(odd)
            } else {
                draw.pick(usual)
            }
        };
        for round in 0..300 {
            let n = 400;
            let present: Vec<bool> = (0..11).map(|_| draw.below(4) != 0).collect();
            let lfs_given = present[4];
            let neet = [NeetSource::None, NeetSource::Flag, NeetSource::Attendance][round % 3];
            let eco = [None, Some(EcoCoding::Isic4), Some(EcoCoding::Aggregate)][round % 5 % 3];
            let lay = Layout {
                has_wap: present[3],
                has_lfs: lfs_given,
                has_geo: present[2],
                has_tru: lfs_given && present[7],
                has_plf: lfs_given && present[8],
                neet,
                eco: eco.filter(|_| lfs_given),
                has_psu: true,
                has_strata: true,
                n_by: 0,
            };
            let eco_max = match lay.eco {
                Some(EcoCoding::Isic4) => 22,
                Some(EcoCoding::Aggregate) => 7,
                None => 0,
            };
            let column = |draw: &mut Draw, given: bool, usual: &[Code]| -> Vec<Code> {
                (0..n).map(|_| if given { value(draw, usual) } else { ABSENT }).collect()
            };
            let weight: Vec<f64> = (0..n)
                .map(|_| if draw.below(30) == 0 { draw.pick(&[f64::NAN, -1.0, -0.0, f64::INFINITY]) } else { 100.0 })
                .collect();
            let age = column(&mut draw, true, &[0, 7, 14, 15, 16, 19, 20, 33, 64, 65, 66, 90, 150]);
            let mut wap = column(&mut draw, present[3], &[1]);
            for (x, &a) in wap.iter_mut().zip(&age) {
                if *x == 1 && a < 15 && draw.below(6) != 0 {
                    *x = draw.pick(&[NULL, 0]);
                }
            }
            let sex = column(&mut draw, true, &[1, 2]);
            let geo = column(&mut draw, present[2], &[1, 2]);
            let lfs = column(&mut draw, lfs_given, &[1, 2, 3]);
            let tru = column(&mut draw, present[7], &[NULL, 0, 1]);
            let dlma = column(&mut draw, present[8], &[1, 2, 3, 4, 5]);
            let att = column(&mut draw, neet == NeetSource::Attendance, &[1, 2, 3]);
            let neet_flag = column(&mut draw, neet == NeetSource::Flag, &[NULL, 0, 1]);
            let eco_codes = column(&mut draw, lay.eco.is_some(), &[1, 2, 5, 7, 22]);
            let cols = Columns {
                weight: &weight,
                sex: &sex,
                age: &age,
                wap: &wap,
                geo: &geo,
                lfs: &lfs,
                tru: &tru,
                dlma: &dlma,
                att: &att,
                neet: &neet_flag,
                eco: &eco_codes,
                eco_max,
                strata: None,
                psu: None,
            };
            let mut fast = Diagnostics::default();
            let mut class = Vec::new();
            classify(&mut fast, &lay, &cols, true, &mut class);
            let mut full = Diagnostics::default();
            for (i, &c) in class.iter().enumerate() {
                let expected = classify_row(&mut full, &lay, &cols, i);
                let used = |c: u32| c & STATE == USED << STATE_SHIFT;
                assert_eq!(used(c), used(expected), "round {round}, row {i}");
                if used(c) {
                    assert_eq!(c & !STATE, expected & !STATE, "round {round}, row {i}");
                }
            }
            assert_eq!(fast, full, "round {round}");
        }
    }
}
