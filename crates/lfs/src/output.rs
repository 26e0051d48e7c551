//! Writers: published rows as ILOSTAT bulk CSV (code format) with sampling-error columns,
//! as Parquet with the same columns, or as JSON. No estimation here.

use crate::tables::Row;
use anyhow::{Context, Result};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Csv,
    Parquet,
    Json,
}

/// The columns every row shares: where and when, and which survey.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub ref_area: String,
    pub source: String,
    pub time: String,
}

pub const COLUMNS: [&str; 12] = [
    "ref_area",
    "source",
    "indicator",
    "sex",
    "classif1",
    "classif2",
    "time",
    "obs_value",
    "obs_status",
    "std_error",
    "cv",
    "sample_count",
];

fn num(v: Option<f64>) -> String {
    match v {
        // Enough digits for a thousand-person level or a rate; ILOSTAT publishes fewer.
        Some(x) => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        }
        None => String::new(),
    }
}

pub fn write(path: &Path, format: OutputFormat, ctx: &Meta, rows: &[Row]) -> Result<()> {
    match format {
        OutputFormat::Csv => write_csv(path, ctx, rows),
        OutputFormat::Parquet => write_parquet(path, ctx, rows),
        OutputFormat::Json => write_json(path, ctx, rows),
    }
    .with_context(|| format!("writing {}", path.display()))
}

fn write_csv(path: &Path, ctx: &Meta, rows: &[Row]) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record([
            ctx.ref_area.as_str(),
            &ctx.source,
            &r.indicator,
            &r.sex,
            &r.classif1,
            &r.classif2,
            &ctx.time,
            &num(r.obs_value),
            &r.obs_status,
            &num(r.std_error),
            &num(r.cv),
            &r.sample_count.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_parquet(path: &Path, ctx: &Meta, rows: &[Row]) -> Result<()> {
    let text = |f: &dyn Fn(&Row) -> String| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(f))) };
    let fixed = |v: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(rows.iter().map(|_| v))) };
    let float = |f: &dyn Fn(&Row) -> Option<f64>| -> ArrayRef { Arc::new(Float64Array::from_iter(rows.iter().map(f))) };
    let columns: Vec<ArrayRef> = vec![
        fixed(&ctx.ref_area),
        fixed(&ctx.source),
        text(&|r| r.indicator.clone()),
        text(&|r| r.sex.clone()),
        text(&|r| r.classif1.clone()),
        text(&|r| r.classif2.clone()),
        fixed(&ctx.time),
        float(&|r| r.obs_value),
        text(&|r| r.obs_status.clone()),
        float(&|r| r.std_error),
        float(&|r| r.cv),
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.sample_count))),
    ];
    let fields: Vec<Field> = COLUMNS
        .iter()
        .zip(&columns)
        .map(|(name, c)| Field::new(*name, c.data_type().clone(), c.data_type() == &DataType::Float64))
        .collect();
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
    let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
    let file = std::fs::File::create(path)?;
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props))?;
    w.write(&batch)?;
    w.close()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonRow<'a> {
    ref_area: &'a str,
    source: &'a str,
    time: &'a str,
    #[serde(flatten)]
    row: &'a Row,
}

fn write_json(path: &Path, ctx: &Meta, rows: &[Row]) -> Result<()> {
    let out: Vec<JsonRow> =
        rows.iter().map(|row| JsonRow { ref_area: &ctx.ref_area, source: &ctx.source, time: &ctx.time, row }).collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer(&mut f, &out)?;
    f.write_all(b"\n")?;
    f.flush()?;
    Ok(())
}
