//! Statistical observations on ILOSTAT's conventions (issue 5): the measures and classification
//! codes Tripart collects (`registry`), one observation and the checks on an incoming row
//! (`obs`), the file formats the field uses (`formats`), the Secretariat's validation rules
//! (`rules`) and the ASEAN figure with its coverage (`regional`). No I/O and no storage: the
//! storage crate keeps observations, revisions and vintages; this crate says what they mean.

pub mod formats;
pub mod obs;
pub mod regional;
pub mod registry;
pub mod rules;

pub use obs::{Key, Observation, Problem};
pub use registry::{Better, Kind, Measure, Registry, Series, ASEAN_AREA};
