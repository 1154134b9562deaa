//! Entities of getting back into an account (migration 000014).

pub mod password_resets {
    use sea_orm::entity::prelude::*;

    /// A one-time link that sets a new password (`purpose`: `forgot` or
    /// `reaccess`). Only digests of its tokens are stored.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub purpose: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        /// The re-access request that granted it.
        pub request_id: Option<Uuid>,
        pub created_at: TimeDateTimeWithTimeZone,
        /// Before this the link does not work yet (a re-access grant's hold).
        pub opens_at: TimeDateTimeWithTimeZone,
        pub expires_at: TimeDateTimeWithTimeZone,
        pub used_at: Option<TimeDateTimeWithTimeZone>,
        /// The digest of the link sent to the channels on file that stops a
        /// re-access grant during its hold.
        pub stop_token_hash: Option<String>,
        pub stopped_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod password_history {
    use sea_orm::entity::prelude::*;

    /// A password hash a reset replaced.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub password_hash: String,
        pub replaced_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reaccess_claims {
    use sea_orm::entity::prelude::*;

    /// A re-access request's score: its per-item table as JSON (a
    /// [`domain::recovery::Scorecard`]), never a stored or given value.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "reaccess_claims")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        /// SHA-256 of the identifier as given (lower case): attempts on one
        /// account are counted by it, whether or not the account exists.
        pub identifier_hash: String,
        pub account_id: Option<Uuid>,
        pub score: i32,
        pub items: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
