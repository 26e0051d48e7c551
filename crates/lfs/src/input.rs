//! Readers: CSV and Parquet files become [`Batch`]es of plain integer codes and weights, the
//! one shape the accumulator reads. Decoding and type quirks stop here; no statistics here.

use crate::roles::{ColumnPlan, Role, Source};
use anyhow::{bail, Context, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A missing value in a code or key column.
pub const NULL: i64 = i64::MIN;
/// A value that is present but is not an integer code (text that does not parse, 1.5, ...).
pub const INVALID: i64 = i64::MIN + 1;
/// Keys that are text get ids from here up, so they never meet integer keys.
const STR_BASE: i64 = 1 << 62;

/// Rows per batch: large enough to amortise per-batch work, small enough to stay in cache.
pub const BATCH_ROWS: usize = 64 * 1024;

/// One slice of the input in the engine's shape.
#[derive(Debug, Default)]
pub struct Batch {
    /// Position of the first row in the file (used as the PSU when the design has none).
    pub first_row: u64,
    pub len: usize,
    /// NaN where the weight is missing or not a number.
    pub weight: Vec<f64>,
    /// Indexed by [`Role::index`]; [`NULL`] or [`INVALID`] where not a code.
    pub codes: Vec<Option<Vec<i64>>>,
    pub strata: Option<Vec<i64>>,
    pub psu: Option<Vec<i64>>,
    pub by: Vec<Vec<i64>>,
}

/// Text keys (strata, PSUs, `--by` categories written as text) become integer ids shared by
/// every reader thread, so that accumulators can be merged by key.
#[derive(Debug, Default, Clone)]
pub struct Keys {
    inner: Arc<Mutex<KeyTable>>,
}

#[derive(Debug, Default)]
struct KeyTable {
    ids: HashMap<String, i64>,
    names: Vec<String>,
}

impl Keys {
    fn intern(&self, text: &str) -> i64 {
        let mut t = match self.inner.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(id) = t.ids.get(text) {
            return *id;
        }
        let id = STR_BASE + t.names.len() as i64;
        t.names.push(text.to_string());
        t.ids.insert(text.to_string(), id);
        id
    }

    /// The key as the file wrote it.
    pub fn label(&self, key: i64) -> String {
        if key == NULL {
            return "missing".to_string();
        }
        if key >= STR_BASE {
            let t = match self.inner.lock() {
                Ok(t) => t,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let Some(name) = t.names.get((key - STR_BASE) as usize) {
                return name.clone();
            }
        }
        key.to_string()
    }
}

/// Progress shared with the progress bar: units done out of a known total.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU64,
    pub total: AtomicU64,
}

impl Progress {
    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()) {
            Some(e) if e == "parquet" || e == "pq" => Format::Parquet,
            _ => Format::Csv,
        }
    }
}

/// The column names of a file, to resolve the plan against.
pub fn header(path: &Path) -> Result<Vec<String>> {
    match Format::of(path) {
        Format::Parquet => {
            let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
            let meta = ArrowReaderMetadata::load(&file, Default::default())
                .with_context(|| format!("reading the Parquet footer of {}", path.display()))?;
            Ok(meta.schema().fields().iter().map(|f| f.name().clone()).collect())
        }
        Format::Csv => {
            let mut rdr = csv_reader(path)?;
            let h = rdr.headers().with_context(|| format!("reading the header of {}", path.display()))?;
            Ok(h.iter().map(|s| s.trim().to_string()).collect())
        }
    }
}

fn csv_reader(path: &Path) -> Result<csv::Reader<File>> {
    let delimiter = match path.extension().and_then(|e| e.to_str()) {
        Some("tsv") | Some("tab") => b'\t',
        _ => b',',
    };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .buffer_capacity(1 << 20)
        .from_path(path)
        .with_context(|| format!("opening {}", path.display()))
}

fn check_columns(plan: &ColumnPlan, header: &[String], path: &Path) -> Result<()> {
    let missing: Vec<String> = plan.columns().into_iter().filter(|c| !header.contains(c)).collect();
    if !missing.is_empty() {
        bail!("{} has no column(s) {}; its columns are: {}", path.display(), missing.join(", "), header.join(", "));
    }
    Ok(())
}

// ---------------------------------------------------------------- Parquet

/// A Parquet file opened once; row groups are read by any number of threads.
pub struct ParquetSource {
    path: std::path::PathBuf,
    meta: ArrowReaderMetadata,
    columns: Vec<String>,
    /// Rows before each row group.
    offsets: Vec<u64>,
}

impl ParquetSource {
    pub fn open(path: &Path, plan: &ColumnPlan) -> Result<ParquetSource> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let meta = ArrowReaderMetadata::load(&file, Default::default())
            .with_context(|| format!("reading the Parquet footer of {}", path.display()))?;
        let names: Vec<String> = meta.schema().fields().iter().map(|f| f.name().clone()).collect();
        check_columns(plan, &names, path)?;
        let mut offsets = Vec::new();
        let mut at = 0u64;
        for rg in meta.metadata().row_groups() {
            offsets.push(at);
            at += rg.num_rows() as u64;
        }
        Ok(ParquetSource { path: path.to_path_buf(), meta, columns: plan.columns(), offsets })
    }

    pub fn row_groups(&self) -> usize {
        self.offsets.len()
    }

    pub fn rows(&self) -> u64 {
        self.meta.metadata().file_metadata().num_rows() as u64
    }

    /// Reads one row group, handing each batch to `f`. The batch's buffers are reused from one
    /// batch to the next (and from one row group to the next through `batch`), so that the
    /// pass allocates nothing per batch.
    pub fn read_row_group(
        &self,
        rg: usize,
        plan: &ColumnPlan,
        keys: &Keys,
        batch: &mut Batch,
        mut f: impl FnMut(&Batch) -> Result<()>,
    ) -> Result<()> {
        let file = File::open(&self.path).with_context(|| format!("opening {}", self.path.display()))?;
        let schema = self.meta.schema().clone();
        let roots: Vec<usize> = self.columns.iter().filter_map(|c| schema.index_of(c).ok()).collect();
        let mask = ProjectionMask::roots(self.meta.metadata().file_metadata().schema_descr(), roots);
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
            .with_projection(mask)
            .with_row_groups(vec![rg])
            .with_batch_size(BATCH_ROWS)
            .build()
            .with_context(|| format!("reading row group {rg} of {}", self.path.display()))?;
        let mut at = self.offsets[rg];
        for rb in reader {
            let rb = rb.with_context(|| format!("decoding row group {rg} of {}", self.path.display()))?;
            let n = rb.num_rows();
            from_record_batch(&rb, plan, keys, at, batch)?;
            at += n as u64;
            f(batch)?;
        }
        Ok(())
    }
}

fn column<'a>(rb: &'a RecordBatch, name: &str) -> Result<&'a dyn Array> {
    rb.column_by_name(name).map(|a| a.as_ref()).with_context(|| format!("column {name} is missing from a batch"))
}

/// Fills `b` from one record batch, reusing its buffers.
fn from_record_batch(rb: &RecordBatch, plan: &ColumnPlan, keys: &Keys, first_row: u64, b: &mut Batch) -> Result<()> {
    b.first_row = first_row;
    b.len = rb.num_rows();
    arrow_f64(column(rb, &plan.weight)?, &mut b.weight)?;
    b.codes.resize_with(Role::ALL.len(), || None);
    for (slot, role) in b.codes.iter_mut().zip(Role::ALL) {
        match plan.role(role) {
            Some(src) => arrow_codes(column(rb, &src.column)?, src, slot.get_or_insert_with(Vec::new))?,
            None => *slot = None,
        }
    }
    for (slot, name) in [(&mut b.strata, &plan.strata), (&mut b.psu, &plan.psu)] {
        match name {
            Some(c) => arrow_keys(column(rb, c)?, keys, slot.get_or_insert_with(Vec::new))?,
            None => *slot = None,
        }
    }
    b.by.resize_with(plan.by.len(), Vec::new);
    for (v, c) in b.by.iter_mut().zip(&plan.by) {
        arrow_keys(column(rb, c)?, keys, v)?;
    }
    Ok(())
}

/// Writes `conv` of every value of a primitive array into `out`, nulls becoming `null`:
/// values first (a loop the compiler vectorises), then the null positions from the validity
/// bitmap, 64 at a time.
macro_rules! map_primitive {
    ($out:expr, $arr:expr, $t:ty, $null:expr, $conv:expr) => {{
        let a = $arr.as_primitive::<$t>();
        let conv = $conv;
        let out: &mut Vec<_> = $out;
        out.clear();
        out.extend(a.values().iter().map(|v| conv(*v)));
        if let Some(nulls) = a.nulls().filter(|n| n.null_count() > 0) {
            set_nulls(out, nulls, $null);
        }
    }};
}

fn set_nulls<T: Copy>(out: &mut [T], nulls: &arrow_buffer::NullBuffer, null: T) {
    let chunks = nulls.inner().bit_chunks();
    let mut base = 0usize;
    for chunk in chunks.iter() {
        if chunk != u64::MAX {
            let mut missing = !chunk;
            while missing != 0 {
                out[base + missing.trailing_zeros() as usize] = null;
                missing &= missing - 1;
            }
        }
        base += 64;
    }
    let rem = chunks.remainder_bits();
    for bit in 0..chunks.remainder_len() {
        if rem >> bit & 1 == 0 {
            out[base + bit] = null;
        }
    }
}

fn float_code(v: f64) -> i64 {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        v as i64
    } else {
        INVALID
    }
}

fn text_code(s: &str, src: &Source) -> i64 {
    let t = s.trim();
    if t.is_empty() || t == "NA" || t == "." {
        return NULL;
    }
    if let Some(v) = src.recode_str.get(t) {
        return *v;
    }
    match t.parse::<i64>() {
        Ok(v) => v,
        Err(_) => t.parse::<f64>().map(float_code).unwrap_or(INVALID),
    }
}

fn apply_recode(codes: &mut [i64], src: &Source) {
    if src.recode_int.is_empty() {
        return;
    }
    for c in codes.iter_mut() {
        if let Some(v) = src.recode_int.get(c) {
            *c = *v;
        }
    }
}

fn arrow_codes(arr: &dyn Array, src: &Source, out: &mut Vec<i64>) -> Result<()> {
    match arr.data_type() {
        DataType::Int8 => map_primitive!(out, arr, Int8Type, NULL, |v: i8| v as i64),
        DataType::Int16 => map_primitive!(out, arr, Int16Type, NULL, |v: i16| v as i64),
        DataType::Int32 => map_primitive!(out, arr, Int32Type, NULL, |v: i32| v as i64),
        DataType::Int64 => map_primitive!(out, arr, Int64Type, NULL, |v: i64| v),
        DataType::UInt8 => map_primitive!(out, arr, UInt8Type, NULL, |v: u8| v as i64),
        DataType::UInt16 => map_primitive!(out, arr, UInt16Type, NULL, |v: u16| v as i64),
        DataType::UInt32 => map_primitive!(out, arr, UInt32Type, NULL, |v: u32| v as i64),
        DataType::UInt64 => map_primitive!(out, arr, UInt64Type, NULL, |v: u64| i64::try_from(v).unwrap_or(INVALID)),
        DataType::Float32 => map_primitive!(out, arr, Float32Type, NULL, |v: f32| float_code(v as f64)),
        DataType::Float64 => map_primitive!(out, arr, Float64Type, NULL, float_code),
        DataType::Boolean => {
            let a = arr.as_boolean();
            out.clear();
            out.extend((0..a.len()).map(|i| if a.is_null(i) { NULL } else { a.value(i) as i64 }));
        }
        _ => {
            let text = arrow_cast::cast(arr, &DataType::Utf8).context("reading a code column as text")?;
            let a = text.as_string::<i32>();
            out.clear();
            out.extend((0..a.len()).map(|i| if a.is_null(i) { NULL } else { text_code(a.value(i), src) }));
            return Ok(());
        }
    }
    apply_recode(out, src);
    Ok(())
}

fn arrow_f64(arr: &dyn Array, out: &mut Vec<f64>) -> Result<()> {
    match arr.data_type() {
        DataType::Float64 => map_primitive!(out, arr, Float64Type, f64::NAN, |v: f64| v),
        DataType::Float32 => map_primitive!(out, arr, Float32Type, f64::NAN, |v: f32| v as f64),
        DataType::Int32 => map_primitive!(out, arr, Int32Type, f64::NAN, |v: i32| v as f64),
        DataType::Int64 => map_primitive!(out, arr, Int64Type, f64::NAN, |v: i64| v as f64),
        _ => {
            let f = arrow_cast::cast(arr, &DataType::Float64).context("reading the weight as a number")?;
            let a = f.as_primitive::<Float64Type>();
            out.clear();
            out.extend((0..a.len()).map(|i| if a.is_null(i) { f64::NAN } else { a.value(i) }));
        }
    }
    Ok(())
}

fn arrow_keys(arr: &dyn Array, keys: &Keys, out: &mut Vec<i64>) -> Result<()> {
    match arr.data_type() {
        DataType::Int8 => map_primitive!(out, arr, Int8Type, NULL, |v: i8| v as i64),
        DataType::Int16 => map_primitive!(out, arr, Int16Type, NULL, |v: i16| v as i64),
        DataType::Int32 => map_primitive!(out, arr, Int32Type, NULL, |v: i32| v as i64),
        DataType::Int64 => map_primitive!(out, arr, Int64Type, NULL, |v: i64| v),
        DataType::UInt8 => map_primitive!(out, arr, UInt8Type, NULL, |v: u8| v as i64),
        DataType::UInt16 => map_primitive!(out, arr, UInt16Type, NULL, |v: u16| v as i64),
        DataType::UInt32 => map_primitive!(out, arr, UInt32Type, NULL, |v: u32| v as i64),
        _ => {
            let text = arrow_cast::cast(arr, &DataType::Utf8).context("reading a key column as text")?;
            let a = text.as_string::<i32>();
            let mut cache: HashMap<&str, i64> = HashMap::new();
            out.clear();
            out.extend((0..a.len()).map(|i| {
                if a.is_null(i) {
                    return NULL;
                }
                let s = a.value(i);
                *cache.entry(s).or_insert_with(|| text_key(s, keys))
            }));
        }
    }
    Ok(())
}

fn text_key(s: &str, keys: &Keys) -> i64 {
    let t = s.trim();
    if t.is_empty() || t == "NA" {
        return NULL;
    }
    match t.parse::<i64>() {
        Ok(v) if v < STR_BASE => v,
        _ => keys.intern(t),
    }
}

// ---------------------------------------------------------------- CSV

/// Reads a CSV file from start to end, handing batches to `f`; `progress` counts bytes.
pub fn read_csv(
    path: &Path,
    plan: &ColumnPlan,
    keys: &Keys,
    progress: &Progress,
    mut f: impl FnMut(Batch) -> Result<()>,
) -> Result<()> {
    let mut rdr = csv_reader(path)?;
    let header: Vec<String> = rdr.headers()?.iter().map(|s| s.trim().to_string()).collect();
    check_columns(plan, &header, path)?;
    let idx = |c: &str| header.iter().position(|h| h == c).unwrap_or(usize::MAX);
    let w_idx = idx(&plan.weight);
    let role_idx: Vec<Option<(usize, &Source)>> =
        Role::ALL.iter().map(|r| plan.role(*r).map(|s| (idx(&s.column), s))).collect();
    let strata_idx = plan.strata.as_deref().map(idx);
    let psu_idx = plan.psu.as_deref().map(idx);
    let by_idx: Vec<usize> = plan.by.iter().map(|c| idx(c)).collect();

    let new_batch = |first_row: u64| Batch {
        first_row,
        len: 0,
        weight: Vec::with_capacity(BATCH_ROWS),
        codes: role_idx.iter().map(|r| r.map(|_| Vec::with_capacity(BATCH_ROWS))).collect(),
        strata: strata_idx.map(|_| Vec::with_capacity(BATCH_ROWS)),
        psu: psu_idx.map(|_| Vec::with_capacity(BATCH_ROWS)),
        by: by_idx.iter().map(|_| Vec::with_capacity(BATCH_ROWS)).collect(),
    };
    let mut batch = new_batch(0);
    let mut record = csv::ByteRecord::new();
    let mut row = 0u64;
    let mut last_pos = 0u64;
    let mut key_cache: HashMap<Vec<u8>, i64> = HashMap::new();
    let mut key = |field: &[u8]| -> i64 {
        if let Some(v) = parse_int(field) {
            return v;
        }
        if let Some(v) = key_cache.get(field) {
            return *v;
        }
        let v = text_key(&String::from_utf8_lossy(field), keys);
        key_cache.insert(field.to_vec(), v);
        v
    };
    while rdr
        .read_byte_record(&mut record)
        .with_context(|| format!("reading {} near row {}", path.display(), row + 1))?
    {
        let field = |i: usize| record.get(i).unwrap_or(b"");
        batch.weight.push(parse_f64(field(w_idx)));
        for (slot, r) in batch.codes.iter_mut().zip(&role_idx) {
            if let (Some(v), Some((i, src))) = (slot.as_mut(), r) {
                let f = field(*i);
                let mut c = parse_int(f).unwrap_or_else(|| text_code(&String::from_utf8_lossy(f), src));
                if let Some(rc) = src.recode_int.get(&c) {
                    c = *rc;
                }
                v.push(c);
            }
        }
        if let (Some(v), Some(i)) = (batch.strata.as_mut(), strata_idx) {
            v.push(key(field(i)));
        }
        if let (Some(v), Some(i)) = (batch.psu.as_mut(), psu_idx) {
            v.push(key(field(i)));
        }
        for (v, i) in batch.by.iter_mut().zip(&by_idx) {
            v.push(key(field(*i)));
        }
        batch.len += 1;
        row += 1;
        if batch.len == BATCH_ROWS {
            let pos = rdr.position().byte();
            progress.add(pos - last_pos);
            last_pos = pos;
            f(std::mem::replace(&mut batch, new_batch(row)))?;
        }
    }
    if batch.len > 0 {
        f(batch)?;
    }
    Ok(())
}

/// Integers without a sign or with `-`, as written by statistical packages; `None` for
/// anything else (text, decimals, empty), which the slower path then judges.
fn parse_int(f: &[u8]) -> Option<i64> {
    let (neg, digits) = match f.first() {
        Some(b'-') => (true, &f[1..]),
        _ => (false, f),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(if neg { -v } else { v })
}

fn parse_f64(f: &[u8]) -> f64 {
    if let Some(v) = parse_int(f) {
        return v as f64;
    }
    std::str::from_utf8(f).ok().and_then(|s| s.trim().parse::<f64>().ok()).unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_and_text_does_not() {
        assert_eq!(parse_int(b"42"), Some(42));
        assert_eq!(parse_int(b"-3"), Some(-3));
        assert_eq!(parse_int(b""), None);
        assert_eq!(parse_int(b"1.0"), None);
        assert_eq!(text_code("1.0", &Source::default()), 1);
        assert_eq!(text_code("1.5", &Source::default()), INVALID);
        assert_eq!(text_code(" ", &Source::default()), NULL);
        assert_eq!(text_code("abc", &Source::default()), INVALID);
    }
}
