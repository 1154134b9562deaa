//! The personal data of DESIGN §3, one table per kind of item. Every row
//! carries the owning `account_id` (also on child rows, so that every read and
//! every delete filters by owner in one indexed condition) and is removed with
//! the account. Deletion removes rows: there is no soft-delete flag.

use crate::m20261129_000001_create_accounts::Accounts;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn owner_fk(table: impl IntoIden + Copy + 'static, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, Alias::new("account_id"))
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn account_id() -> ColumnDef {
    uuid(Alias::new("account_id"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)] // one table after another
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            Table::create()
                .table(Profiles::Table)
                .col(uuid(Alias::new("account_id")).primary_key())
                .col(string_len_uniq(Profiles::AccountCode, 32))
                .col(string_len(Profiles::QrCode, 128))
                .col(string_len_null(Profiles::Photo, 200))
                .col(string_len_null(Profiles::Gender, 16))
                .col(string_len_null(Profiles::Region, 64))
                .col(string_len_null(Profiles::Signature, 64))
                .col(text_null(Profiles::Address))
                .col(string_len(Profiles::TimeZone, 64).default("Asia/Shanghai"))
                .col(timestamp_with_time_zone(Profiles::UpdatedAt))
                .foreign_key(&mut owner_fk(Profiles::Table, "fk_profiles_account"))
                .to_owned(),
            Table::create()
                .table(AccountSecurity::Table)
                .col(uuid(Alias::new("account_id")).primary_key())
                .col(string_len_null(AccountSecurity::Mobile, 20))
                .col(timestamp_with_time_zone_null(
                    AccountSecurity::VoiceprintEnrolledAt,
                ))
                .col(string_len_null(AccountSecurity::LinkedQq, 16))
                .col(timestamp_with_time_zone(AccountSecurity::UpdatedAt))
                .foreign_key(&mut owner_fk(
                    AccountSecurity::Table,
                    "fk_account_security_account",
                ))
                .to_owned(),
            Table::create()
                .table(EmergencyContacts::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(EmergencyContacts::Name, 64))
                .col(string_len(EmergencyContacts::Mobile, 20))
                .col(timestamp_with_time_zone(EmergencyContacts::AddedAt))
                .foreign_key(&mut owner_fk(
                    EmergencyContacts::Table,
                    "fk_emergency_contacts_account",
                ))
                .to_owned(),
            Table::create()
                .table(Posts::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(text(Posts::Body))
                .col(string_len_null(Posts::Place, 64))
                .col(timestamp_with_time_zone(Posts::CreatedAt))
                .foreign_key(&mut owner_fk(Posts::Table, "fk_posts_account"))
                .to_owned(),
            Table::create()
                .table(PostPhotos::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(uuid(PostPhotos::PostId))
                .col(string_len(PostPhotos::FileName, 128))
                .col(integer(PostPhotos::Width))
                .col(integer(PostPhotos::Height))
                .col(string_len_null(PostPhotos::Camera, 64))
                .col(timestamp_with_time_zone_null(PostPhotos::TakenAt))
                .foreign_key(&mut owner_fk(PostPhotos::Table, "fk_post_photos_account"))
                .to_owned(),
            Table::create()
                .table(PostComments::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(uuid(PostComments::PostId))
                .col(string_len(PostComments::AuthorName, 64))
                .col(text(PostComments::Body))
                .col(timestamp_with_time_zone(PostComments::CreatedAt))
                .foreign_key(&mut owner_fk(
                    PostComments::Table,
                    "fk_post_comments_account",
                ))
                .to_owned(),
            Table::create()
                .table(PostLikes::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(uuid(PostLikes::PostId))
                .col(string_len(PostLikes::LikerName, 64))
                .col(timestamp_with_time_zone(PostLikes::CreatedAt))
                .foreign_key(&mut owner_fk(PostLikes::Table, "fk_post_likes_account"))
                .to_owned(),
            Table::create()
                .table(Conversations::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Conversations::PeerName, 64))
                .col(timestamp_with_time_zone(Conversations::LastMessageAt))
                .foreign_key(&mut owner_fk(
                    Conversations::Table,
                    "fk_conversations_account",
                ))
                .to_owned(),
            Table::create()
                .table(Messages::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(uuid(Messages::ConversationId))
                .col(boolean(Messages::FromMe))
                .col(text(Messages::Body))
                .col(timestamp_with_time_zone(Messages::SentAt))
                .foreign_key(&mut owner_fk(Messages::Table, "fk_messages_account"))
                .to_owned(),
            Table::create()
                .table(Friends::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Friends::Name, 64))
                .col(timestamp_with_time_zone(Friends::AddedAt))
                .foreign_key(&mut owner_fk(Friends::Table, "fk_friends_account"))
                .to_owned(),
            Table::create()
                .table(Blocked::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Blocked::Name, 64))
                .col(timestamp_with_time_zone(Blocked::BlockedAt))
                .foreign_key(&mut owner_fk(Blocked::Table, "fk_blocked_account"))
                .to_owned(),
            Table::create()
                .table(LocationPoints::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(double(LocationPoints::Latitude))
                .col(double(LocationPoints::Longitude))
                .col(integer(LocationPoints::AccuracyM))
                .col(timestamp_with_time_zone(LocationPoints::RecordedAt))
                .foreign_key(&mut owner_fk(
                    LocationPoints::Table,
                    "fk_location_points_account",
                ))
                .to_owned(),
            Table::create()
                .table(StepCounts::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(date(StepCounts::Day))
                .col(integer(StepCounts::Steps))
                .foreign_key(&mut owner_fk(StepCounts::Table, "fk_step_counts_account"))
                .to_owned(),
            Table::create()
                .table(ContactHashes::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(ContactHashes::Hash, 64))
                .col(timestamp_with_time_zone(ContactHashes::UploadedAt))
                .foreign_key(&mut owner_fk(
                    ContactHashes::Table,
                    "fk_contact_hashes_account",
                ))
                .to_owned(),
            Table::create()
                .table(BankCards::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(BankCards::Bank, 64))
                .col(string_len(BankCards::CardType, 16))
                .col(string_len(BankCards::Last4, 4))
                .col(timestamp_with_time_zone(BankCards::AddedAt))
                .foreign_key(&mut owner_fk(BankCards::Table, "fk_bank_cards_account"))
                .to_owned(),
            Table::create()
                .table(Devices::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Devices::DeviceKey, 64))
                .col(string_len(Devices::Model, 64))
                .col(string_len(Devices::Os, 64))
                .col(string_len(Devices::AppVersion, 32))
                .col(timestamp_with_time_zone(Devices::FirstSeenAt))
                .col(timestamp_with_time_zone(Devices::LastSeenAt))
                .foreign_key(&mut owner_fk(Devices::Table, "fk_devices_account"))
                .to_owned(),
            Table::create()
                .table(SignIns::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(SignIns::Ip, 64))
                .col(string_len(SignIns::Model, 64))
                .col(string_len(SignIns::Os, 64))
                .col(string_len(SignIns::AppVersion, 32))
                .col(timestamp_with_time_zone(SignIns::At))
                .foreign_key(&mut owner_fk(SignIns::Table, "fk_sign_ins_account"))
                .to_owned(),
            Table::create()
                .table(Consents::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Consents::Feature, 32))
                .col(boolean(Consents::Granted))
                .col(timestamp_with_time_zone(Consents::ChangedAt))
                .foreign_key(&mut owner_fk(Consents::Table, "fk_consents_account"))
                .to_owned(),
            Table::create()
                .table(PrivacySettings::Table)
                .col(uuid(Alias::new("account_id")).primary_key())
                .col(text(PrivacySettings::Settings))
                .col(timestamp_with_time_zone(PrivacySettings::UpdatedAt))
                .foreign_key(&mut owner_fk(
                    PrivacySettings::Table,
                    "fk_privacy_settings_account",
                ))
                .to_owned(),
            Table::create()
                .table(SettingsLists::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(SettingsLists::List, 16))
                .col(uuid(SettingsLists::FriendId))
                .foreign_key(&mut owner_fk(
                    SettingsLists::Table,
                    "fk_settings_lists_account",
                ))
                .to_owned(),
            Table::create()
                .table(Activity::Table)
                .col(pk_uuid(Alias::new("id")))
                .col(account_id())
                .col(string_len(Activity::Action, 32))
                .col(string_len(Activity::Category, 32))
                .col(integer(Activity::Items))
                .col(string_len_null(Activity::Field, 32))
                .col(timestamp_with_time_zone(Activity::At))
                .foreign_key(&mut owner_fk(Activity::Table, "fk_activity_account"))
                .to_owned(),
        ];
        for mut table in tables {
            manager
                .create_table(table.if_not_exists().to_owned())
                .await?;
        }
        // Every list is read newest first by owner, then by id (cursor paging).
        let indexes: [(&str, DynIden, Vec<DynIden>); 20] = [
            ix(
                "idx_emergency_contacts_owner",
                EmergencyContacts::Table,
                &["account_id", "added_at", "id"],
            ),
            ix(
                "idx_posts_owner",
                Posts::Table,
                &["account_id", "created_at", "id"],
            ),
            ix("idx_post_photos_post", PostPhotos::Table, &["post_id"]),
            ix("idx_post_comments_post", PostComments::Table, &["post_id"]),
            ix("idx_post_likes_post", PostLikes::Table, &["post_id"]),
            ix(
                "idx_conversations_owner",
                Conversations::Table,
                &["account_id", "last_message_at", "id"],
            ),
            ix(
                "idx_messages_owner",
                Messages::Table,
                &["account_id", "sent_at", "id"],
            ),
            ix(
                "idx_messages_conversation",
                Messages::Table,
                &["conversation_id", "sent_at", "id"],
            ),
            ix(
                "idx_friends_owner",
                Friends::Table,
                &["account_id", "added_at", "id"],
            ),
            ix(
                "idx_blocked_owner",
                Blocked::Table,
                &["account_id", "blocked_at", "id"],
            ),
            ix(
                "idx_location_owner",
                LocationPoints::Table,
                &["account_id", "recorded_at", "id"],
            ),
            ix(
                "idx_steps_owner",
                StepCounts::Table,
                &["account_id", "day", "id"],
            ),
            ix(
                "idx_contact_hashes_owner",
                ContactHashes::Table,
                &["account_id", "uploaded_at", "id"],
            ),
            ix(
                "idx_bank_cards_owner",
                BankCards::Table,
                &["account_id", "added_at", "id"],
            ),
            ix(
                "idx_devices_owner",
                Devices::Table,
                &["account_id", "last_seen_at", "id"],
            ),
            ix(
                "idx_sign_ins_owner",
                SignIns::Table,
                &["account_id", "at", "id"],
            ),
            ix(
                "idx_consents_owner",
                Consents::Table,
                &["account_id", "changed_at", "id"],
            ),
            ix(
                "idx_settings_lists_owner",
                SettingsLists::Table,
                &["account_id", "list"],
            ),
            ix(
                "idx_settings_lists_friend",
                SettingsLists::Table,
                &["friend_id"],
            ),
            ix(
                "idx_activity_owner",
                Activity::Table,
                &["account_id", "at", "id"],
            ),
        ];
        for (name, table, cols) in indexes {
            let mut index = Index::create().name(name).table(table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        for (name, table, cols) in [
            (
                "uq_step_counts_day",
                StepCounts::Table.into_iden(),
                ["account_id", "day"],
            ),
            (
                "uq_devices_key",
                Devices::Table.into_iden(),
                ["account_id", "device_key"],
            ),
            (
                "uq_consents_feature",
                Consents::Table.into_iden(),
                ["account_id", "feature"],
            ),
        ] {
            let mut index = Index::create().name(name).table(table).unique().to_owned();
            for col in cols {
                index.col(Alias::new(col));
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Activity::Table.into_iden(),
            SettingsLists::Table.into_iden(),
            PrivacySettings::Table.into_iden(),
            Consents::Table.into_iden(),
            SignIns::Table.into_iden(),
            Devices::Table.into_iden(),
            BankCards::Table.into_iden(),
            ContactHashes::Table.into_iden(),
            StepCounts::Table.into_iden(),
            LocationPoints::Table.into_iden(),
            Blocked::Table.into_iden(),
            Friends::Table.into_iden(),
            Messages::Table.into_iden(),
            Conversations::Table.into_iden(),
            PostLikes::Table.into_iden(),
            PostComments::Table.into_iden(),
            PostPhotos::Table.into_iden(),
            Posts::Table.into_iden(),
            EmergencyContacts::Table.into_iden(),
            AccountSecurity::Table.into_iden(),
            Profiles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

fn ix(
    name: &'static str,
    table: impl IntoIden,
    cols: &[&str],
) -> (&'static str, DynIden, Vec<DynIden>) {
    (
        name,
        table.into_iden(),
        cols.iter().map(|c| Alias::new(*c).into_iden()).collect(),
    )
}

#[derive(DeriveIden, Clone, Copy)]
enum Profiles {
    Table,
    AccountCode,
    QrCode,
    Photo,
    Gender,
    Region,
    Signature,
    Address,
    TimeZone,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountSecurity {
    Table,
    Mobile,
    VoiceprintEnrolledAt,
    LinkedQq,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EmergencyContacts {
    Table,
    Name,
    Mobile,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Posts {
    Table,
    Body,
    Place,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PostPhotos {
    Table,
    PostId,
    FileName,
    Width,
    Height,
    Camera,
    TakenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PostComments {
    Table,
    PostId,
    AuthorName,
    Body,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PostLikes {
    Table,
    PostId,
    LikerName,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Conversations {
    Table,
    PeerName,
    LastMessageAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Messages {
    Table,
    ConversationId,
    FromMe,
    Body,
    SentAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Friends {
    Table,
    Name,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
#[allow(clippy::enum_variant_names)] // the column is blocked_at
enum Blocked {
    Table,
    Name,
    BlockedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LocationPoints {
    Table,
    Latitude,
    Longitude,
    AccuracyM,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum StepCounts {
    Table,
    Day,
    Steps,
}

#[derive(DeriveIden, Clone, Copy)]
enum ContactHashes {
    Table,
    Hash,
    UploadedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum BankCards {
    Table,
    Bank,
    CardType,
    Last4,
    AddedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Devices {
    Table,
    DeviceKey,
    Model,
    Os,
    AppVersion,
    FirstSeenAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SignIns {
    Table,
    Ip,
    Model,
    Os,
    AppVersion,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
enum Consents {
    Table,
    Feature,
    Granted,
    ChangedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrivacySettings {
    Table,
    Settings,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SettingsLists {
    Table,
    List,
    FriendId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Activity {
    Table,
    Action,
    Category,
    Items,
    Field,
    At,
}
