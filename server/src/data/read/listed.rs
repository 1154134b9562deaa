//! The categories that are one table of the holder's rows, newest first:
//! each says where its owner, sort key and fields are ([`Listed`]), and one
//! reader pages them all ([`listed`]).

use super::{Bounds, Cursor, Key, finish, rows, yes_no};
use crate::data::{item, rfc3339};
use crate::entities::data::{
    activity, bank_cards, blocked, consent_receipts, contact_hashes, conversations, devices,
    friends, location_points, messages, posts, sign_ins, step_counts,
};
use crate::entities::{notifications, requests};
use crate::errors::ServerResult;
use app::data::DataItem;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// A table whose rows belong to one account.
pub(super) trait Owned: EntityTrait<Model: Send + Sync> {
    /// The column naming the owner.
    fn owner() -> Self::Column;
}

/// A category read as a list: its sort key and how a row reads.
pub(super) trait Listed: Owned {
    /// Newest first by this column, then by this ID.
    fn sort() -> (Self::Column, Self::Column);

    /// Where the page after this row starts.
    fn cursor(row: &Self::Model) -> Cursor;
    /// The row as the holder sees it.
    fn item(row: &Self::Model, deletable: bool) -> DataItem;
}

/// The sort keys of `me`'s oldest and newest rows of a listed category.
pub(super) async fn ends<E: Listed>(
    db: &impl ConnectionTrait,
    me: Uuid,
) -> ServerResult<(Option<Cursor>, Option<Cursor>)> {
    ends_by::<E>(db, me, E::sort(), E::cursor).await
}

/// The sort keys of `me`'s oldest and newest rows of `E` by `(sort, id)`.
pub(super) async fn ends_by<E: Owned>(
    db: &impl ConnectionTrait,
    me: Uuid,
    (sort, id): (E::Column, E::Column),
    cursor: fn(&E::Model) -> Cursor,
) -> ServerResult<(Option<Cursor>, Option<Cursor>)> {
    use sea_orm::QueryOrder;
    let oldest = E::find()
        .filter(E::owner().eq(me))
        .order_by_asc(sort)
        .order_by_asc(id)
        .one(db)
        .await?;
    let newest = E::find()
        .filter(E::owner().eq(me))
        .order_by_desc(sort)
        .order_by_desc(id)
        .one(db)
        .await?;
    Ok((oldest.as_ref().map(cursor), newest.as_ref().map(cursor)))
}

/// How many rows `me` owns.
pub(super) async fn count<E: Owned>(db: &impl ConnectionTrait, me: Uuid) -> ServerResult<u64> {
    Ok(E::find().filter(E::owner().eq(me)).count(db).await?)
}

/// One page of `me`'s rows, and where the next starts.
pub(super) async fn listed<E: Listed>(
    db: &impl ConnectionTrait,
    me: Uuid,
    bounds: &Bounds,
    cursor: Option<&Cursor>,
    limit: u64,
    deletable: bool,
) -> ServerResult<(Vec<DataItem>, Option<String>)> {
    let found = rows::<E>(
        db,
        Condition::all()
            .add(E::owner().eq(me))
            .add(bounds.on(E::sort().0)),
        E::sort(),
        cursor,
        limit,
    )
    .await?;
    let (found, next) = finish(found, limit, E::cursor);
    Ok((found.iter().map(|r| E::item(r, deletable)).collect(), next))
}

/// `Owned` for tables with an `AccountId` column.
macro_rules! owned_by_account {
    ($($module:ident),+ $(,)?) => {
        $(impl Owned for $module::Entity {
            fn owner() -> Self::Column {
                $module::Column::AccountId
            }
        })+
    };
}

owned_by_account!(
    posts,
    conversations,
    messages,
    friends,
    blocked,
    location_points,
    step_counts,
    contact_hashes,
    bank_cards,
    devices,
    sign_ins,
    consent_receipts,
    notifications,
    requests,
    activity,
);

impl Listed for friends::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (friends::Column::AddedAt, friends::Column::Id)
    }
    fn cursor(f: &Self::Model) -> Cursor {
        Cursor::at(f.added_at, f.id)
    }
    fn item(f: &Self::Model, deletable: bool) -> DataItem {
        item(
            f.id,
            Some(f.added_at),
            [("name", Some(f.name.clone()))],
            deletable,
        )
    }
}

impl Listed for blocked::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (blocked::Column::BlockedAt, blocked::Column::Id)
    }
    fn cursor(b: &Self::Model) -> Cursor {
        Cursor::at(b.blocked_at, b.id)
    }
    fn item(b: &Self::Model, deletable: bool) -> DataItem {
        item(
            b.id,
            Some(b.blocked_at),
            [("name", Some(b.name.clone()))],
            deletable,
        )
    }
}

impl Listed for location_points::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (
            location_points::Column::RecordedAt,
            location_points::Column::Id,
        )
    }
    fn cursor(l: &Self::Model) -> Cursor {
        Cursor::at(l.recorded_at, l.id)
    }
    fn item(l: &Self::Model, deletable: bool) -> DataItem {
        item(
            l.id,
            Some(l.recorded_at),
            [
                ("latitude", Some(format!("{:.5}", l.latitude))),
                ("longitude", Some(format!("{:.5}", l.longitude))),
                ("accuracy_m", Some(l.accuracy_m.to_string())),
            ],
            deletable,
        )
    }
}

impl Listed for step_counts::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (step_counts::Column::Day, step_counts::Column::Id)
    }
    fn cursor(s: &Self::Model) -> Cursor {
        Cursor {
            key: Key::Day(s.day),
            id: s.id,
        }
    }
    fn item(s: &Self::Model, deletable: bool) -> DataItem {
        DataItem {
            day: Some(s.day.to_string()),
            ..item(
                s.id,
                None,
                [("steps", Some(s.steps.to_string()))],
                deletable,
            )
        }
    }
}

impl Listed for contact_hashes::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (
            contact_hashes::Column::UploadedAt,
            contact_hashes::Column::Id,
        )
    }
    fn cursor(c: &Self::Model) -> Cursor {
        Cursor::at(c.uploaded_at, c.id)
    }
    fn item(c: &Self::Model, deletable: bool) -> DataItem {
        item(
            c.id,
            Some(c.uploaded_at),
            [("hash", Some(c.hash.clone()))],
            deletable,
        )
    }
}

impl Listed for bank_cards::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (bank_cards::Column::AddedAt, bank_cards::Column::Id)
    }
    fn cursor(c: &Self::Model) -> Cursor {
        Cursor::at(c.added_at, c.id)
    }
    fn item(c: &Self::Model, deletable: bool) -> DataItem {
        item(
            c.id,
            Some(c.added_at),
            [
                ("bank", Some(c.bank.clone())),
                ("card_type", Some(c.card_type.clone())),
                ("card_number", Some(domain::data::mask_card(&c.last4))),
            ],
            deletable,
        )
    }
}

impl Listed for devices::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (devices::Column::LastSeenAt, devices::Column::Id)
    }
    fn cursor(d: &Self::Model) -> Cursor {
        Cursor::at(d.last_seen_at, d.id)
    }
    fn item(d: &Self::Model, deletable: bool) -> DataItem {
        item(
            d.id,
            Some(d.last_seen_at),
            [
                ("device_model", Some(d.model.clone())),
                ("os", Some(d.os.clone())),
                ("app_version", Some(d.app_version.clone())),
                ("first_seen", Some(rfc3339(d.first_seen_at))),
            ],
            deletable,
        )
    }
}

impl Listed for sign_ins::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (sign_ins::Column::At, sign_ins::Column::Id)
    }
    fn cursor(s: &Self::Model) -> Cursor {
        Cursor::at(s.at, s.id)
    }
    fn item(s: &Self::Model, deletable: bool) -> DataItem {
        item(
            s.id,
            Some(s.at),
            [
                ("ip", Some(s.ip.clone())),
                ("device_model", Some(s.model.clone())),
                ("os", Some(s.os.clone())),
                ("app_version", Some(s.app_version.clone())),
            ],
            deletable,
        )
    }
}

/// The consents category is the holder's receipts: every grant, withdrawal
/// and policy acceptance (where each feature stands now is on `/consents`).
impl Listed for consent_receipts::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (consent_receipts::Column::At, consent_receipts::Column::Id)
    }
    fn cursor(r: &Self::Model) -> Cursor {
        Cursor::at(r.at, r.id)
    }
    fn item(r: &Self::Model, deletable: bool) -> DataItem {
        item(
            r.id,
            Some(r.at),
            [
                ("feature", Some(r.feature.clone())),
                ("state", Some(r.state.clone())),
                ("policy_version", Some(r.policy_version.clone())),
                ("channel", Some(r.channel.clone())),
                ("cleared", yes_no(r.cleared)),
                ("cleared_items", Some(r.cleared_items.to_string())),
            ],
            deletable,
        )
    }
}

impl Listed for notifications::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (notifications::Column::CreatedAt, notifications::Column::Id)
    }
    fn cursor(n: &Self::Model) -> Cursor {
        Cursor::at(n.created_at, n.id)
    }
    fn item(n: &Self::Model, deletable: bool) -> DataItem {
        item(
            n.id,
            Some(n.created_at),
            [
                ("subject", Some(n.subject.clone())),
                ("text", Some(n.body.clone())),
            ],
            deletable,
        )
    }
}

impl Listed for requests::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (requests::Column::ReceivedAt, requests::Column::Id)
    }
    fn cursor(r: &Self::Model) -> Cursor {
        Cursor::at(r.received_at, r.id)
    }
    fn item(r: &Self::Model, deletable: bool) -> DataItem {
        let status: domain::requests::Status = r.status.into();
        let kind: domain::requests::RequestKind = r.kind.into();
        item(
            r.id,
            Some(r.received_at),
            [
                ("ack", Some(r.ack.clone())),
                ("kind", Some(kind.as_str().to_owned())),
                ("status", Some(status.as_str().to_owned())),
                ("due_at", r.due_at.map(rfc3339)),
            ],
            deletable,
        )
    }
}

impl Listed for activity::Entity {
    fn sort() -> (Self::Column, Self::Column) {
        (activity::Column::At, activity::Column::Id)
    }
    fn cursor(a: &Self::Model) -> Cursor {
        Cursor::at(a.at, a.id)
    }
    fn item(a: &Self::Model, deletable: bool) -> DataItem {
        item(
            a.id,
            Some(a.at),
            [
                ("action", Some(a.action.clone())),
                ("category", Some(a.category.clone())),
                ("items", Some(a.items.to_string())),
                ("field", a.field.clone()),
            ],
            deletable,
        )
    }
}
