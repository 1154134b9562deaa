//! The sweeper's timers in a narrow table of their own (issue #12): one row
//! per open request whose clock runs — the instant of its next event (a
//! reminder, or the instant it becomes overdue), the request and its due
//! instant — keyed by (instant, request).
//!
//! Before, the instant was a column of `requests` with an index: moving a
//! reminded request on rewrote its wide row (on a page of its own at a
//! million requests) and moved its index entry. Now a pass deletes timers
//! from the front of one narrow key range and inserts the next ones: on
//! SQLite the table is `WITHOUT ROWID`, so the key *is* the table and
//! nothing else is written per event. The due instant rides along so a
//! pass can split the overdue requests (audited) from the reminders without
//! reading the requests first.
//!
//! Existing events move over as they are; `requests.next_event_at` and its
//! index go.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create()
            .table(RequestTimers::Table)
            .if_not_exists()
            .col(timestamp_with_time_zone(RequestTimers::At))
            .col(uuid(RequestTimers::RequestId))
            .col(timestamp_with_time_zone(RequestTimers::DueAt))
            .primary_key(
                Index::create()
                    .col(RequestTimers::At)
                    .col(RequestTimers::RequestId),
            )
            .to_owned();
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            table.extra("WITHOUT ROWID");
        }
        manager.create_table(table).await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(RequestTimers::Table)
                    .columns([
                        RequestTimers::At,
                        RequestTimers::RequestId,
                        RequestTimers::DueAt,
                    ])
                    .select_from(
                        Query::select()
                            .columns([Requests::NextEventAt, Requests::Id, Requests::DueAt])
                            .from(Requests::Table)
                            .and_where(Expr::col(Requests::NextEventAt).is_not_null())
                            .and_where(Expr::col(Requests::DueAt).is_not_null())
                            .to_owned(),
                    )
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .to_owned(),
            )
            .await?;
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Requests::Table)
                    .add_column(timestamp_with_time_zone_null(Requests::NextEventAt))
                    .to_owned(),
            )
            .await?;
        // Each request's earliest timer (there is at most one).
        manager
            .exec_stmt(
                Query::update()
                    .table(Requests::Table)
                    .value(
                        Requests::NextEventAt,
                        SimpleExpr::SubQuery(
                            None,
                            Box::new(
                                Query::select()
                                    .expr(Expr::col(RequestTimers::At).min())
                                    .from(RequestTimers::Table)
                                    .and_where(
                                        Expr::col((RequestTimers::Table, RequestTimers::RequestId))
                                            .equals((Requests::Table, Requests::Id)),
                                    )
                                    .to_owned()
                                    .into_sub_query_statement(),
                            ),
                        ),
                    )
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
            .await?;
        manager
            .drop_table(Table::drop().table(RequestTimers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    DueAt,
    NextEventAt,
}

#[derive(DeriveIden)]
enum RequestTimers {
    Table,
    At,
    RequestId,
    DueAt,
}
