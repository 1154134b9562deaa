//! Pure rules and types of the privacy rights portal.
//!
//! Everything here is plain data and plain functions: no I/O, no async, no clock.
//! The crate compiles for `wasm32-unknown-unknown`, so the browser validates forms
//! with the same parsers the server runs again.

pub mod account;
pub mod cancellation;
pub mod consent;
pub mod data;
pub mod deadlines;
pub mod export;
pub mod incident;
pub mod locale;
pub mod recovery;
pub mod requests;

pub use account::{AccountError, AgeBand, BirthDate, DisplayName, Email, Password, Role};
pub use locale::Locale;
