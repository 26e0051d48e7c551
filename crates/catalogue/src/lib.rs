//! The curated catalogue: reads the TOML files under `catalogue/`, checks every field
//! and every cross-reference, and returns validated records for the storage layer to
//! seed. It never touches a database; `tripart check` runs it alone.

mod load;
pub mod model;
mod raw;
mod validate;

pub use load::{load_dir, CatalogueError, LoadReport};
pub use model::*;
