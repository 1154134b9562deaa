//! sea-orm entities. They stay in the server; services map them to domain
//! types.

pub mod accounts;
pub mod audit_log;
pub mod data;
pub mod deadline_policies;
pub mod email_outbox;
pub mod login_failures;
pub mod notifications;
pub mod pending_sign_ups;
pub mod request_events;
pub mod requests;
pub mod sessions;
