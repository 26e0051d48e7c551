//! Readers: CSV and Parquet files become [`Batch`]es of plain integer codes and weights, the
//! one shape the accumulator reads. Decoding and type quirks stop here; no statistics here.
//! Parquet columns of plain numbers are decoded page by page straight into the batch; other
//! types go through Arrow.

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
use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::{get_column_reader, ColumnReader};
use parquet::file::serialized_reader::SerializedPageReader;
use parquet::schema::types::ColumnDescriptor;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A coded value (sex, age, labour status, ...). No valid code is negative, so readers turn
/// every negative value into [`INVALID`] and the negative range is free for markers.
pub type Code = i32;
/// A missing value in a code column.
pub const NULL: Code = i32::MIN;
/// A value that is present but is not a code (negative, too large, text that does not parse,
/// 1.5, ...).
pub const INVALID: Code = -1;
/// A missing value in a key column (stratum, PSU, `--by`).
pub const MISSING_KEY: i64 = i64::MIN;
/// Keys that are text get ids from here up, so they never meet integer keys.
const STR_BASE: i64 = 1 << 62;

/// Rows per batch: large enough to amortise per-batch work, small enough to stay in cache.
pub const BATCH_ROWS: usize = 16 * 1024;

/// One slice of the input in the engine's shape.
#[derive(Debug, Default)]
pub struct Batch {
    /// Position of the first row in the file (used as the PSU when the design has none).
    pub first_row: u64,
    pub len: usize,
    /// NaN where the weight is missing or not a number.
    pub weight: Vec<f64>,
    /// Indexed by [`Role::index`]; [`NULL`] or [`INVALID`] where not a code.
    pub codes: Vec<Option<Vec<Code>>>,
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
        if key == MISSING_KEY {
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
    /// What the plan reads, column by column.
    columns: Vec<ParquetColumn>,
    /// Rows before each row group.
    offsets: Vec<u64>,
}

/// Where a column's values go in a batch.
#[derive(Debug, Clone, Copy)]
enum Target {
    Weight,
    Code(Role),
    Strata,
    Psu,
    By(usize),
}

/// One column the plan reads, and how: plain integers and floats are decoded here from the
/// column's pages into the batch (no Arrow array, no cast, no copy per type); any other
/// type goes through Arrow, which knows them all.
#[derive(Debug, Clone)]
struct ParquetColumn {
    name: String,
    target: Target,
    direct: Option<Direct>,
}

#[derive(Debug, Clone, Copy)]
struct Direct {
    /// The column's leaf in the file schema.
    leaf: usize,
    /// Integers stored with an unsigned annotation (read as their unsigned value).
    unsigned: bool,
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
        let mut targets = vec![(plan.weight.clone(), Target::Weight)];
        targets.extend(Role::ALL.iter().filter_map(|&r| plan.role(r).map(|s| (s.column.clone(), Target::Code(r)))));
        targets.extend(plan.strata.iter().map(|c| (c.clone(), Target::Strata)));
        targets.extend(plan.psu.iter().map(|c| (c.clone(), Target::Psu)));
        targets.extend(plan.by.iter().enumerate().map(|(i, c)| (c.clone(), Target::By(i))));
        let schema = meta.metadata().file_metadata().schema_descr();
        let columns = targets
            .into_iter()
            .map(|(name, target)| {
                let direct =
                    schema.columns().iter().position(|c| c.path().parts() == [name.as_str()]).and_then(|leaf| {
                        direct_decoding(schema.column(leaf).as_ref(), target).map(|unsigned| Direct { leaf, unsigned })
                    });
                ParquetColumn { name, target, direct }
            })
            .collect();
        Ok(ParquetSource { path: path.to_path_buf(), meta, columns, offsets })
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
        let context = || format!("reading row group {rg} of {}", self.path.display());
        let file = Arc::new(File::open(&self.path).with_context(|| format!("opening {}", self.path.display()))?);
        let row_group = self.meta.metadata().row_group(rg);
        let schema = self.meta.metadata().file_metadata().schema_descr();
        let rows = row_group.num_rows() as usize;
        let mut direct = Vec::new();
        for c in &self.columns {
            if let Some(d) = c.direct {
                let pages = SerializedPageReader::new(file.clone(), row_group.column(d.leaf), rows, None)
                    .with_context(context)?;
                let descr = schema.column(d.leaf);
                let recode = match c.target {
                    Target::Code(r) => plan.role(r),
                    _ => None,
                };
                direct.push(DirectReader {
                    column: c,
                    max_def: descr.max_def_level(),
                    unsigned: d.unsigned,
                    recode,
                    reader: get_column_reader(descr, Box::new(pages)),
                });
            }
        }
        // The other columns, through Arrow, in batches of the same size.
        let via_arrow: Vec<&ParquetColumn> = self.columns.iter().filter(|c| c.direct.is_none()).collect();
        let mut arrow = if via_arrow.is_empty() {
            None
        } else {
            let arrow_schema = self.meta.schema().clone();
            let roots: Vec<usize> = via_arrow.iter().filter_map(|c| arrow_schema.index_of(&c.name).ok()).collect();
            let mask = ProjectionMask::roots(schema, roots);
            let file = File::open(&self.path).with_context(|| format!("opening {}", self.path.display()))?;
            Some(
                ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
                    .with_projection(mask)
                    .with_row_groups(vec![rg])
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .with_context(context)?,
            )
        };
        batch.codes.resize_with(Role::ALL.len(), || None);
        for (slot, role) in batch.codes.iter_mut().zip(Role::ALL) {
            if plan.role(role).is_none() {
                *slot = None;
            }
        }
        if plan.strata.is_none() {
            batch.strata = None;
        }
        if plan.psu.is_none() {
            batch.psu = None;
        }
        batch.by.resize_with(plan.by.len(), Vec::new);
        let mut levels = Vec::new();
        let mut values = Values::default();
        let mut at = self.offsets[rg];
        let mut done = 0;
        while done < rows {
            let n = BATCH_ROWS.min(rows - done);
            for d in &mut direct {
                d.read(n, &mut levels, &mut values, batch).with_context(|| {
                    format!("decoding column {} in row group {rg} of {}", d.column.name, self.path.display())
                })?;
            }
            if let Some(reader) = arrow.as_mut() {
                let rb = reader.next().with_context(context)?.with_context(context)?;
                if rb.num_rows() != n {
                    bail!("{}: the columns of row group {rg} have different lengths", self.path.display());
                }
                for c in &via_arrow {
                    let arr = column(&rb, &c.name)?;
                    match c.target {
                        Target::Weight => arrow_f64(arr, &mut batch.weight)?,
                        Target::Code(r) => {
                            let src = plan.role(r).with_context(|| format!("no source for {}", r.ilo_name()))?;
                            arrow_codes(arr, src, slot_of(&mut batch.codes[r.index()]))?
                        }
                        Target::Strata => arrow_keys(arr, keys, slot_of(&mut batch.strata))?,
                        Target::Psu => arrow_keys(arr, keys, slot_of(&mut batch.psu))?,
                        Target::By(i) => arrow_keys(arr, keys, &mut batch.by[i])?,
                    }
                }
            }
            batch.first_row = at;
            batch.len = n;
            f(batch)?;
            at += n as u64;
            done += n;
        }
        Ok(())
    }
}

fn slot_of<T>(slot: &mut Option<Vec<T>>) -> &mut Vec<T> {
    slot.get_or_insert_with(Vec::new)
}

/// Whether this leaf can be decoded directly for this target, and if so whether its
/// integers are unsigned; `None` sends it through Arrow.
fn direct_decoding(c: &ColumnDescriptor, target: Target) -> Option<bool> {
    if c.max_rep_level() > 0 {
        return None;
    }
    let integer = |bits: &[i8]| -> Option<bool> {
        match (c.logical_type_ref(), c.converted_type()) {
            (None, ConvertedType::NONE) => Some(false),
            (Some(LogicalType::Integer(int)), _) if bits.contains(&int.bit_width) => Some(!int.is_signed),
            (None, ConvertedType::INT_8 | ConvertedType::INT_16 | ConvertedType::INT_32 | ConvertedType::INT_64) => {
                Some(false)
            }
            (
                None,
                ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 | ConvertedType::UINT_64,
            ) => Some(true),
            _ => None,
        }
    };
    let plain_float = c.logical_type_ref().is_none() && c.converted_type() == ConvertedType::NONE;
    match (c.physical_type(), target) {
        (PhysicalType::INT32, _) => integer(&[8, 16, 32]),
        // Unsigned 64-bit keys are read as text by Arrow; only codes and weights come here.
        (PhysicalType::INT64, Target::Weight | Target::Code(_)) => integer(&[64]),
        (PhysicalType::INT64, _) => integer(&[64]).filter(|unsigned| !unsigned),
        (PhysicalType::FLOAT | PhysicalType::DOUBLE, Target::Weight | Target::Code(_)) => plain_float.then_some(false),
        _ => None,
    }
}

/// Decoding buffers, one per physical type, reused between columns and batches.
#[derive(Default)]
struct Values {
    i32: Vec<i32>,
    i64: Vec<i64>,
    f32: Vec<f32>,
    f64: Vec<f64>,
}

/// A column read directly, page by page, through one row group.
struct DirectReader<'a> {
    column: &'a ParquetColumn,
    reader: ColumnReader,
    max_def: i16,
    unsigned: bool,
    /// The mapping's recode, for a code.
    recode: Option<&'a Source>,
}

impl DirectReader<'_> {
    /// Reads the next `n` rows into the column's target in `b`.
    fn read(&mut self, n: usize, levels: &mut Vec<i16>, values: &mut Values, b: &mut Batch) -> Result<()> {
        let (max_def, unsigned, target) = (self.max_def, self.unsigned, self.column.target);
        let no_recode = Source::default();
        let src = self.recode.unwrap_or(&no_recode);
        levels.clear();
        macro_rules! read {
            ($r:expr, $buf:expr) => {{
                $buf.clear();
                let (records, _, _) = $r.read_records(n, Some(&mut *levels), None, &mut $buf)?;
                if records != n {
                    bail!("the column ended after {records} of {n} rows");
                }
                &$buf[..]
            }};
        }
        match (&mut self.reader, target) {
            // The common cases are decoded straight into the batch and completed there: codes
            // without a recode, double weights, signed 64-bit keys.
            (ColumnReader::Int32ColumnReader(r), Target::Code(role)) if src.recode_int.is_empty() => {
                let out = slot_of(&mut b.codes[role.index()]);
                let present = read!(r, *out).len();
                // No code is negative, and an unsigned value that reads as one is above any.
                for x in out.iter_mut() {
                    *x = (*x).max(INVALID);
                }
                spread_in_place(out, present, levels, max_def, n, NULL);
            }
            (ColumnReader::DoubleColumnReader(r), Target::Weight) => {
                let present = read!(r, b.weight).len();
                spread_in_place(&mut b.weight, present, levels, max_def, n, f64::NAN);
            }
            (ColumnReader::Int64ColumnReader(r), Target::Strata | Target::Psu | Target::By(_)) if !unsigned => {
                let out = key_slot(target, b)?;
                let present = read!(r, *out).len();
                spread_in_place(out, present, levels, max_def, n, MISSING_KEY);
            }
            // The others through a buffer of their type, converted as they are spread.
            (ColumnReader::Int32ColumnReader(r), _) => {
                let v = read!(r, values.i32);
                let wide = |x: i32| if unsigned { i64::from(x as u32) } else { i64::from(x) };
                match target {
                    Target::Weight => spread(v, levels, max_def, n, f64::NAN, |x| wide(x) as f64, &mut b.weight),
                    Target::Code(r) => {
                        spread(v, levels, max_def, n, NULL, |x| code_of(wide(x), src), slot_of(&mut b.codes[r.index()]))
                    }
                    _ => spread(v, levels, max_def, n, MISSING_KEY, wide, key_slot(target, b)?),
                }
            }
            (ColumnReader::Int64ColumnReader(r), _) => {
                let v = read!(r, values.i64);
                match target {
                    Target::Weight if unsigned => {
                        spread(v, levels, max_def, n, f64::NAN, |x| x as u64 as f64, &mut b.weight)
                    }
                    Target::Weight => spread(v, levels, max_def, n, f64::NAN, |x| x as f64, &mut b.weight),
                    Target::Code(r) => {
                        let code = |x: i64| if unsigned && x < 0 { INVALID } else { code_of(x, src) };
                        spread(v, levels, max_def, n, NULL, code, slot_of(&mut b.codes[r.index()]))
                    }
                    _ => bail!("an unsigned 64-bit key read directly"),
                }
            }
            (ColumnReader::FloatColumnReader(r), _) => {
                let v = read!(r, values.f32);
                match target {
                    Target::Weight => spread(v, levels, max_def, n, f64::NAN, f64::from, &mut b.weight),
                    Target::Code(r) => spread(
                        v,
                        levels,
                        max_def,
                        n,
                        NULL,
                        |x| float_code(x.into(), src),
                        slot_of(&mut b.codes[r.index()]),
                    ),
                    _ => bail!("a float key read directly"),
                }
            }
            (ColumnReader::DoubleColumnReader(r), Target::Code(role)) => {
                let v = read!(r, values.f64);
                spread(v, levels, max_def, n, NULL, |x| float_code(x, src), slot_of(&mut b.codes[role.index()]))
            }
            _ => bail!("a column type read directly that is not decoded so"),
        }
        Ok(())
    }
}

/// Moves the `present` values decoded at the start of `out` to their rows, `null` where the
/// definition level says missing; from the end, so that no value is overwritten before it
/// moves, and without a branch per row.
fn spread_in_place<T: Copy>(out: &mut Vec<T>, present: usize, levels: &[i16], max_def: i16, n: usize, null: T) {
    if present == n {
        return;
    }
    out.resize(n, null);
    let out = &mut out[..n];
    let mut j = present;
    for (i, &d) in levels[..n].iter().enumerate().rev() {
        let here = d == max_def;
        j -= usize::from(here);
        // Below `present` (< n) whether or not the row has a value: read either way, and
        // choose without a branch (missing values come in no order).
        let v = out[j];
        out[i] = std::hint::select_unpredictable(here, v, null);
    }
}

/// The batch column of a key.
fn key_slot(target: Target, b: &mut Batch) -> Result<&mut Vec<i64>> {
    Ok(match target {
        Target::Strata => slot_of(&mut b.strata),
        Target::Psu => slot_of(&mut b.psu),
        Target::By(i) => &mut b.by[i],
        Target::Weight | Target::Code(_) => bail!("a weight or code read as a key"),
    })
}

/// `n` rows from a column's values (only the present ones are stored) and definition levels:
/// `conv` of each present value, `null` where missing. The present values are walked without
/// a branch per row, so that missing values in no order cost nothing more.
fn spread<T: Copy + Default, U: Copy>(
    values: &[T],
    levels: &[i16],
    max_def: i16,
    n: usize,
    null: U,
    conv: impl Fn(T) -> U,
    out: &mut Vec<U>,
) {
    out.clear();
    if values.len() == n {
        out.extend(values.iter().map(|&v| conv(v)));
        return;
    }
    let mut j = 0;
    out.extend(levels[..n].iter().map(|&d| {
        let present = d == max_def;
        let v = values.get(j).copied().unwrap_or_default();
        j += usize::from(present);
        std::hint::select_unpredictable(present, conv(v), null)
    }));
}

fn column<'a>(rb: &'a RecordBatch, name: &str) -> Result<&'a dyn Array> {
    rb.column_by_name(name).map(|a| a.as_ref()).with_context(|| format!("column {name} is missing from a batch"))
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

/// An integer read as a code: recoded by the mapping, then [`INVALID`] unless in the range
/// of codes.
fn code_of(v: i64, src: &Source) -> Code {
    let v = src.recode_int.get(&v).copied().unwrap_or(v);
    match Code::try_from(v) {
        Ok(c) if c >= 0 => c,
        _ => INVALID,
    }
}

/// A number that is an integer, as one.
fn float_value(v: f64) -> Option<i64> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

fn float_code(v: f64, src: &Source) -> Code {
    float_value(v).map_or(INVALID, |v| code_of(v, src))
}

/// A text value: the integer it stands for (by the mapping's recode, or as written), or the
/// marker it is.
fn text_value(s: &str, src: &Source) -> Result<i64, Code> {
    let t = s.trim();
    if t.is_empty() || t == "NA" || t == "." {
        return Err(NULL);
    }
    if let Some(v) = src.recode_str.get(t) {
        return Ok(*v);
    }
    match t.parse::<i64>() {
        Ok(v) => Ok(v),
        Err(_) => t.parse::<f64>().ok().and_then(float_value).ok_or(INVALID),
    }
}

/// A text value read as a code; integer recodes are not applied to text here (they are to
/// integers written in a CSV file).
fn text_code(s: &str, src: &Source) -> Code {
    match text_value(s, src) {
        Ok(v) => code_of(v, &Source::default()),
        Err(marker) => marker,
    }
}

fn arrow_codes(arr: &dyn Array, src: &Source, out: &mut Vec<Code>) -> Result<()> {
    match arr.data_type() {
        DataType::Int8 => map_primitive!(out, arr, Int8Type, NULL, |v: i8| code_of(v.into(), src)),
        DataType::Int16 => map_primitive!(out, arr, Int16Type, NULL, |v: i16| code_of(v.into(), src)),
        DataType::Int32 => map_primitive!(out, arr, Int32Type, NULL, |v: i32| code_of(v.into(), src)),
        DataType::Int64 => map_primitive!(out, arr, Int64Type, NULL, |v: i64| code_of(v, src)),
        DataType::UInt8 => map_primitive!(out, arr, UInt8Type, NULL, |v: u8| code_of(v.into(), src)),
        DataType::UInt16 => map_primitive!(out, arr, UInt16Type, NULL, |v: u16| code_of(v.into(), src)),
        DataType::UInt32 => map_primitive!(out, arr, UInt32Type, NULL, |v: u32| code_of(v.into(), src)),
        DataType::UInt64 => {
            map_primitive!(out, arr, UInt64Type, NULL, |v: u64| i64::try_from(v).map_or(INVALID, |v| code_of(v, src)))
        }
        DataType::Float32 => map_primitive!(out, arr, Float32Type, NULL, |v: f32| float_code(v.into(), src)),
        DataType::Float64 => map_primitive!(out, arr, Float64Type, NULL, |v: f64| float_code(v, src)),
        DataType::Boolean => {
            let a = arr.as_boolean();
            out.clear();
            out.extend((0..a.len()).map(|i| if a.is_null(i) { NULL } else { code_of(a.value(i).into(), src) }));
        }
        _ => {
            let text = arrow_cast::cast(arr, &DataType::Utf8).context("reading a code column as text")?;
            let a = text.as_string::<i32>();
            out.clear();
            out.extend((0..a.len()).map(|i| if a.is_null(i) { NULL } else { text_code(a.value(i), src) }));
        }
    }
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
        DataType::Int8 => map_primitive!(out, arr, Int8Type, MISSING_KEY, |v: i8| v as i64),
        DataType::Int16 => map_primitive!(out, arr, Int16Type, MISSING_KEY, |v: i16| v as i64),
        DataType::Int32 => map_primitive!(out, arr, Int32Type, MISSING_KEY, |v: i32| v as i64),
        DataType::Int64 => map_primitive!(out, arr, Int64Type, MISSING_KEY, |v: i64| v),
        DataType::UInt8 => map_primitive!(out, arr, UInt8Type, MISSING_KEY, |v: u8| v as i64),
        DataType::UInt16 => map_primitive!(out, arr, UInt16Type, MISSING_KEY, |v: u16| v as i64),
        DataType::UInt32 => map_primitive!(out, arr, UInt32Type, MISSING_KEY, |v: u32| v as i64),
        _ => {
            let text = arrow_cast::cast(arr, &DataType::Utf8).context("reading a key column as text")?;
            let a = text.as_string::<i32>();
            let mut cache: HashMap<&str, i64> = HashMap::new();
            out.clear();
            out.extend((0..a.len()).map(|i| {
                if a.is_null(i) {
                    return MISSING_KEY;
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
        return MISSING_KEY;
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
                let c = match parse_int(f).ok_or(()).or_else(|_| text_value(&String::from_utf8_lossy(f), src)) {
                    Ok(v) => code_of(v, src),
                    Err(marker) => marker,
                };
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
