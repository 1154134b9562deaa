//! sea-orm entities. They stay in the server; services map them to domain
//! types.

/// A string column stored as one of a domain enum's names: a
/// `DeriveActiveEnum` with conversions both ways, so a name the code does not
/// know cannot be written, and one read back fails loudly.
macro_rules! stored_enum {
    ($name:ident => $domain:path { $($variant:ident = $value:literal),+ $(,)? }) => {
        #[doc = concat!("Stored form of [`", stringify!($domain), "`].")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
        pub enum $name {
            $(#[sea_orm(string_value = $value)] $variant,)+
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$domain>::$variant,)+ }
            }
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $name::$variant,)+ }
            }
        }
    };
}

pub mod account_tombstones;
pub mod accounts;
pub mod audit_log;
pub mod data;
pub mod deadline_policies;
pub mod email_outbox;
pub mod incident_notices;
pub mod login_failures;
pub mod notifications;
pub mod pending_sign_ups;
pub mod portal_settings;
pub mod recovery;
pub mod request_attachments;
pub mod request_events;
pub mod request_timers;
pub mod requests;
pub mod sessions;
