//! The sweeper at a million (issue #12): every open request carries the
//! instant of its next event — its next reminder, or the instant it becomes
//! overdue — so a pass reads only the requests whose event has come (an
//! index range), not every request due soon. `NULL` when nothing is ahead
//! (closed, paused, already overdue, or no clock).
//!
//! Existing open requests get `received_at`, an instant in the past: the
//! first pass after the upgrade examines each of them once, sends what is
//! due (the notices' dedupe keys keep anything already sent from going out
//! twice) and moves each on to its real next event.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Requests::Table)
                    .add_column(timestamp_with_time_zone_null(Requests::NextEventAt))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Requests::Table)
                    .value(Requests::NextEventAt, Expr::col(Requests::ReceivedAt))
                    .and_where(Expr::col(Requests::ClosedAt).is_null())
                    .and_where(Expr::col(Requests::PausedSince).is_null())
                    .and_where(Expr::col(Requests::DueAt).is_not_null())
                    .and_where(Expr::col(Requests::Overdue).eq(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_next_event")
                    .table(Requests::Table)
                    .col(Requests::NextEventAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_requests_next_event")
                    .table(Requests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Requests::Table)
                    .drop_column(Requests::NextEventAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    NextEventAt,
    ReceivedAt,
    ClosedAt,
    PausedSince,
    DueAt,
    Overdue,
}
