//! `accounts`: people and staff who can sign in.

use sea_orm::entity::prelude::*;

/// An account row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub birth_date: TimeDate,
    pub age_band: AgeBand,
    pub role: Role,
    pub locale: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// When the holder asked to cancel (cooling-off running), if they did.
    pub cancel_requested_at: Option<TimeDateTimeWithTimeZone>,
    /// When the cancellation takes effect (moved on by every hold).
    pub cancel_effective_at: Option<TimeDateTimeWithTimeZone>,
    /// Since when a freeze has held the cancellation's clock.
    pub cancel_paused_at: Option<TimeDateTimeWithTimeZone>,
    /// When the "three days left" reminder was queued.
    pub cancel_reminded_at: Option<TimeDateTimeWithTimeZone>,
    /// A legal hold's reason, which the holder may be told; set while frozen.
    pub frozen_reason: Option<String>,
    /// When the hold began.
    pub frozen_at: Option<TimeDateTimeWithTimeZone>,
    /// How the account was registered: `web`, `mobile_app` or `operator`.
    pub registered_via: String,
}

/// Stored form of [`domain::Role`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "holder")]
    Holder,
    #[sea_orm(string_value = "officer")]
    Officer,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl From<Role> for domain::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Holder => domain::Role::Holder,
            Role::Officer => domain::Role::Officer,
            Role::Admin => domain::Role::Admin,
        }
    }
}

impl From<domain::Role> for Role {
    fn from(role: domain::Role) -> Self {
        match role {
            domain::Role::Holder => Role::Holder,
            domain::Role::Officer => Role::Officer,
            domain::Role::Admin => Role::Admin,
        }
    }
}

/// Stored form of [`domain::AgeBand`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AgeBand {
    #[sea_orm(string_value = "adult")]
    Adult,
    #[sea_orm(string_value = "minor")]
    Minor,
}

impl From<domain::AgeBand> for AgeBand {
    fn from(band: domain::AgeBand) -> Self {
        match band {
            domain::AgeBand::Adult => AgeBand::Adult,
            domain::AgeBand::Minor => AgeBand::Minor,
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
