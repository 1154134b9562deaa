//! Integration tests of the server: the real app on a random port with a
//! fresh database, SQLite always and PostgreSQL when `TEST_DATABASE_URL` is set.

mod helpers;

mod auth;
mod cancellation;
mod complaints;
mod concurrency;
mod consents;
mod data;
mod deadlines;
mod doors;
mod exports;
mod incidents;
mod mail;
mod officer;
mod operations;
mod ranges;
mod recovery;
mod requests;
mod sessions;
mod sweeper;
mod throttles;
