//! Data-subject requests: the deadline policies they are received under, the
//! requests with their clocks, their history, the in-portal inbox, the e-mail
//! outbox, and the hash-chained audit log.

use crate::m20261129_000001_create_accounts::Accounts;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeadlinePolicies::Table)
                    .if_not_exists()
                    .col(string_len(DeadlinePolicies::Name, 64).primary_key())
                    .col(integer(DeadlinePolicies::Version))
                    .col(text(DeadlinePolicies::Rules))
                    .col(timestamp_with_time_zone(DeadlinePolicies::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Requests::Table)
                    .if_not_exists()
                    .col(pk_uuid(Requests::Id))
                    .col(string_len_uniq(Requests::Ack, 24))
                    .col(string_len(Requests::Kind, 16))
                    .col(string_len(Requests::Channel, 16))
                    .col(string_len(Requests::Status, 24))
                    .col(uuid_null(Requests::AccountId))
                    .col(string_len_null(Requests::ContactEmail, 254))
                    .col(text(Requests::Details))
                    .col(text_null(Requests::Verification))
                    .col(string_len_null(Requests::TrackingTokenHash, 64))
                    .col(string_len_null(Requests::IdempotencyHash, 64).unique_key())
                    .col(string_len(Requests::PolicyName, 64))
                    .col(integer(Requests::PolicyVersion))
                    .col(text(Requests::PolicyRules))
                    .col(timestamp_with_time_zone(Requests::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Requests::ClockStartedAt))
                    .col(timestamp_with_time_zone_null(Requests::DueAt))
                    .col(timestamp_with_time_zone_null(Requests::PausedSince))
                    .col(string_len_null(Requests::ResumeStatus, 24))
                    .col(boolean(Requests::Overdue).default(false))
                    .col(boolean(Requests::Late).default(false))
                    .col(uuid_null(Requests::AssigneeId))
                    .col(timestamp_with_time_zone_null(Requests::ClosedAt))
                    .col(text_null(Requests::Answer))
                    .col(timestamp_with_time_zone(Requests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_account")
                            .from(Requests::Table, Requests::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_requests_open_due",
                vec![Requests::Status, Requests::DueAt],
            ),
            ("idx_requests_due", vec![Requests::DueAt]),
            ("idx_requests_account", vec![Requests::AccountId]),
            ("idx_requests_assignee", vec![Requests::AssigneeId]),
        ] {
            let mut index = Index::create().name(name).table(Requests::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RequestEvents::Table)
                    .if_not_exists()
                    .col(pk_uuid(RequestEvents::Id))
                    .col(uuid(RequestEvents::RequestId))
                    .col(timestamp_with_time_zone(RequestEvents::At))
                    .col(string_len(RequestEvents::ActorKind, 16))
                    .col(uuid_null(RequestEvents::ActorId))
                    .col(string_len(RequestEvents::Action, 32))
                    .col(text_null(RequestEvents::Note))
                    .col(boolean(RequestEvents::Internal).default(false))
                    .col(timestamp_with_time_zone_null(RequestEvents::DueBefore))
                    .col(timestamp_with_time_zone_null(RequestEvents::DueAfter))
                    .col(integer_null(RequestEvents::ExtensionLength))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_events_request")
                            .from(RequestEvents::Table, RequestEvents::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_events_request_at")
                    .table(RequestEvents::Table)
                    .col(RequestEvents::RequestId)
                    .col(RequestEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .if_not_exists()
                    .col(pk_uuid(Notifications::Id))
                    .col(uuid_null(Notifications::AccountId))
                    .col(uuid_null(Notifications::RequestId))
                    .col(string_len(Notifications::Kind, 32))
                    .col(text(Notifications::Subject))
                    .col(text(Notifications::Body))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    // Makes "send once" a database fact: a second insert of the
                    // same notice (a retried job, a second sweeper) fails.
                    .col(string_len_uniq(Notifications::DedupeKey, 120))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_account")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .if_not_exists()
                    .col(pk_uuid(EmailOutbox::Id))
                    .col(string_len(EmailOutbox::ToEmail, 254))
                    .col(text(EmailOutbox::Subject))
                    .col(text(EmailOutbox::Body))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(integer(EmailOutbox::Attempts).default(0))
                    .col(string_len_uniq(EmailOutbox::DedupeKey, 120))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditLog::Seq))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::ActorRole, 16))
                    .col(string_len(AuditLog::Action, 48))
                    .col(string_len(AuditLog::Subject, 120))
                    .col(text(AuditLog::Detail))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len_uniq(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            EmailOutbox::Table.into_iden(),
            Notifications::Table.into_iden(),
            RequestEvents::Table.into_iden(),
            Requests::Table.into_iden(),
            DeadlinePolicies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum DeadlinePolicies {
    Table,
    Name,
    Version,
    Rules,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    Ack,
    Kind,
    Channel,
    Status,
    AccountId,
    ContactEmail,
    Details,
    Verification,
    TrackingTokenHash,
    IdempotencyHash,
    PolicyName,
    PolicyVersion,
    PolicyRules,
    ReceivedAt,
    ClockStartedAt,
    DueAt,
    PausedSince,
    ResumeStatus,
    Overdue,
    Late,
    AssigneeId,
    ClosedAt,
    Answer,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    At,
    ActorKind,
    ActorId,
    Action,
    Note,
    Internal,
    DueBefore,
    DueAfter,
    ExtensionLength,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    RequestId,
    Kind,
    Subject,
    Body,
    CreatedAt,
    ReadAt,
    DedupeKey,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    ToEmail,
    Subject,
    Body,
    CreatedAt,
    SentAt,
    Attempts,
    DedupeKey,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorId,
    ActorRole,
    Action,
    Subject,
    Detail,
    PrevHash,
    Hash,
}
