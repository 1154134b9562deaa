//! sea-orm entities. They stay in the server; services map them to domain
//! types.

pub mod accounts;
pub mod login_failures;
pub mod sessions;
