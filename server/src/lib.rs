//! The portal's server: configuration, persistence, the services that
//! implement the app's ports, the REST API, and the admin commands.

// Leptos view types nest deeply; without type erasure (cargo-leptos passes
// `--cfg erase_components`, plain cargo does not) the default limit is too low.
#![recursion_limit = "256"]

pub mod accounts;
pub mod api;
pub mod audit;
pub mod cancellation;
pub mod clock;
pub mod commands;
pub mod config;
pub mod data;
pub mod db;
pub mod digest;
pub mod entities;
pub mod errors;
pub mod exports;
pub mod incidents;
pub mod instant;
pub mod mail;
pub mod rate_limit;
pub mod render;
pub mod requests;
pub mod sessions;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod telemetry_metrics;
pub mod web;

pub use startup::Application;
pub use state::AppState;
