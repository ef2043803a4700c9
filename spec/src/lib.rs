//! The popgen spec format: the model of an Alibaba Cloud RPC API ([`model`]), the loader that
//! reports every mistake with its file, line, column and spec path ([`load`]), the semantic checks
//! ([`check`]), and the bundled Dyvmsapi spec ([`bundled_dir`]).
//!
//! ```
//! let loaded = popgen_spec::load::load_bundled().expect("the bundled spec is valid");
//! let ivr = &loaded.spec.actions["IvrCall"];
//! let play_times = ivr.params.iter().find(|p| p.name == "PlayTimes").unwrap();
//! assert_eq!(play_times.range.as_ref().unwrap().max, Some(popgen_spec::Number::Int(3)));
//! ```
#![warn(missing_docs)]

pub mod areas;
pub mod check;
pub mod describe;
pub mod diag;
pub mod layer;
pub mod load;
pub mod model;
pub mod pricing;
pub mod rules;
pub mod schema;
pub mod shape;
pub mod stats;
pub mod values;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Level};
pub use load::{Loaded, Spec};
pub use model::*;

/// The products whose specs are bundled (`spec/<name>/`), each generated into
/// `generated/<name>/` as the crate `<name>`; the first is the default.
pub const BUNDLED: [&str; 2] = ["dyvmsapi", "dysmsapi"];

/// The directory of the bundled Dyvmsapi 2017-05-25 spec.
pub fn bundled_dir() -> PathBuf {
    bundled_product(BUNDLED[0])
}

/// The directory of a bundled product's spec (`spec/dysmsapi`).
pub fn bundled_product(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}
