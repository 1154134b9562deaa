//! Entities of incident notices (migration 000014).

pub mod incidents {
    use sea_orm::entity::prelude::*;

    /// A notice: its content (a [`domain::incident::IncidentContent`]) and
    /// audience (a [`domain::incident::Audience`]) as JSON. Published
    /// notices are never changed.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incidents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The notice this one updates.
        pub follows_id: Option<Uuid>,
        pub content: String,
        pub audience: String,
        pub created_by: Option<Uuid>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
        pub published_at: Option<TimeDateTimeWithTimeZone>,
        pub published_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod incident_deliveries {
    use sea_orm::entity::prelude::*;

    /// One affected holder of a published notice.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "incident_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub incident_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        pub delivered_at: TimeDateTimeWithTimeZone,
        pub acknowledged_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
