//! The portal's server: configuration, persistence, the services that
//! implement the app's ports, the REST API, and the admin commands.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod entities;
pub mod errors;
pub mod rate_limit;
pub mod requests;
pub mod sessions;
pub mod startup;
pub mod telemetry;
pub mod web;

pub use startup::{AppState, Application};
