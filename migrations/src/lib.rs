//! The portal's schema migrations. They use the schema builder only, never raw
//! SQL, so the same migrations run on SQLite and on PostgreSQL. A merged
//! migration is never edited: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_create_accounts;
mod m20261129_000002_create_sessions;
mod m20261129_000003_create_requests;
mod m20261129_000004_create_personal_data;
mod m20261129_000005_outbox_leases;
mod m20261129_000006_session_devices;
mod m20261130_000007_outbox_recipient_index;
mod m20261130_000008_pending_sign_ups;
mod m20261201_000009_consent_receipts;
mod m20261201_000010_policies_and_guardians;
mod m20261201_000011_exports;
mod m20261201_000012_cancellation;
mod m20261203_000013_complaints;
mod m20261203_000014_recovery_and_incidents;
mod m20261203_000015_next_event;
mod m20261206_000016_request_timers;

/// Runs the migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_accounts::Migration),
            Box::new(m20261129_000002_create_sessions::Migration),
            Box::new(m20261129_000003_create_requests::Migration),
            Box::new(m20261129_000004_create_personal_data::Migration),
            Box::new(m20261129_000005_outbox_leases::Migration),
            Box::new(m20261129_000006_session_devices::Migration),
            Box::new(m20261130_000007_outbox_recipient_index::Migration),
            Box::new(m20261130_000008_pending_sign_ups::Migration),
            Box::new(m20261201_000009_consent_receipts::Migration),
            Box::new(m20261201_000010_policies_and_guardians::Migration),
            Box::new(m20261201_000011_exports::Migration),
            Box::new(m20261201_000012_cancellation::Migration),
            Box::new(m20261203_000013_complaints::Migration),
            Box::new(m20261203_000014_recovery_and_incidents::Migration),
            Box::new(m20261203_000015_next_event::Migration),
            Box::new(m20261206_000016_request_timers::Migration),
        ]
    }
}
