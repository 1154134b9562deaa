//! Access: the overview with counts and one category page at a time, newest
//! first, with keyset (cursor) paging on (time, id) so a page costs the same
//! on the first screen and the thousandth.

use super::{DEFAULT_ZONE, PersonalData, item, rfc3339};
use crate::entities::data::{
    account_security, activity, bank_cards, blocked, consent_receipts, contact_hashes,
    conversations, devices, emergency_contacts, friends, location_points, messages, post_comments,
    post_likes, post_photos, posts, privacy_settings, profiles, sign_ins, step_counts,
};
use crate::entities::{accounts, notifications, requests};
use crate::errors::ServerResult;
use app::data::{CategoryCount, DataItem, DataPage};
use app::error::AppError;
use domain::data::{Category, DateRange, PrivacySettings};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Value,
};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

mod listed;
use listed::listed;

/// Items per page unless asked otherwise.
pub const PAGE_DEFAULT: u64 = 50;
/// The most items one page may hold.
pub const PAGE_MAX: u64 = 200;
/// Days of steps one chart reads (a year and a leap day, with room).
pub const SERIES_DAYS: u64 = 400;
/// Location points one plot reads.
pub const SERIES_POINTS: u64 = 5_000;

/// Where the next page starts: the sort key and ID of the last item shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    key: Key,
    id: Uuid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    At(OffsetDateTime),
    Day(Date),
}

impl Cursor {
    fn at(at: OffsetDateTime, id: Uuid) -> Self {
        Cursor {
            key: Key::At(at),
            id,
        }
    }

    /// The opaque text given to clients (URL-safe).
    #[must_use]
    pub fn encode(&self) -> String {
        match self.key {
            Key::At(at) => format!("t{}_{}", at.unix_timestamp_nanos(), self.id.simple()),
            Key::Day(day) => format!("d{}_{}", day.to_julian_day(), self.id.simple()),
        }
    }

    /// Reads a cursor given by [`Cursor::encode`].
    ///
    /// # Errors
    /// 422 `invalid_cursor`.
    pub fn parse(raw: &str) -> Result<Cursor, AppError> {
        let bad = || {
            AppError::invalid(
                "cursor",
                "invalid_cursor",
                "cursor: pass the next_cursor of the previous page unchanged.",
            )
        };
        let (head, id) = raw.split_once('_').ok_or_else(bad)?;
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        let key = if let Some(nanos) = head.strip_prefix('t') {
            let nanos: i128 = nanos.parse().map_err(|_| bad())?;
            Key::At(OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| bad())?)
        } else if let Some(day) = head.strip_prefix('d') {
            Key::Day(Date::from_julian_day(day.parse().map_err(|_| bad())?).map_err(|_| bad())?)
        } else {
            return Err(bad());
        };
        Ok(Cursor { key, id })
    }

    /// The sort key as the API writes times: RFC 3339, or `YYYY-MM-DD`.
    fn key_text(&self) -> String {
        match self.key {
            Key::At(at) => rfc3339(at),
            Key::Day(day) => day.to_string(),
        }
    }

    fn value(&self) -> Value {
        match self.key {
            Key::At(at) => at.into(),
            Key::Day(day) => day.into(),
        }
    }
}

/// What a page is narrowed to, checked: one conversation, a range of days,
/// a text to search for (lower-cased; `%`, `_` and `\\` match themselves).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    pub conversation: Option<Uuid>,
    pub range: DateRange,
    pub text: Option<String>,
}

/// The longest search text.
pub const SEARCH_MAX: usize = 100;

impl Narrowing {
    /// Reads the page's query for `category`.
    ///
    /// # Errors
    /// 422 `invalid_date`, `date_out_of_range`, `inverted_range` (range),
    /// `not_dated` (a range on profile, security or settings),
    /// `not_searchable` (text outside messages and posts), `too_long`
    /// (text), `invalid_conversation`.
    pub fn parse(category: Category, filter: &app::data::DataFilter) -> Result<Self, AppError> {
        let range = super::parse_range(filter.from.as_deref(), filter.to.as_deref())?;
        if !range.is_open() && !category.dated() {
            return Err(AppError::invalid(
                "from",
                "not_dated",
                format!(
                    "from, to: the items of {} have no dates to choose by.",
                    category.as_str()
                ),
            ));
        }
        let text = filter
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase);
        if let Some(text) = &text {
            if !category.searchable() {
                return Err(AppError::invalid(
                    "q",
                    "not_searchable",
                    "q: only messages and posts can be searched by text.",
                ));
            }
            if text.chars().count() > SEARCH_MAX {
                return Err(AppError::invalid(
                    "q",
                    "too_long",
                    format!("q: search for at most {SEARCH_MAX} characters."),
                ));
            }
        }
        let conversation = filter
            .conversation
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|raw| {
                Uuid::parse_str(raw).map_err(|_| {
                    AppError::invalid(
                        "conversation",
                        "invalid_conversation",
                        "conversation: the ID of one of your conversations.",
                    )
                })
            })
            .transpose()?;
        Ok(Narrowing {
            conversation,
            range,
            text,
        })
    }
}

/// The range's bounds as values of a sort column: days for a `DATE` column,
/// instants (the holder's local midnights) otherwise.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bounds {
    low: Option<Value>,
    high: Option<Value>,
}

impl Bounds {
    pub(crate) fn of(range: DateRange, zone: &str, by_day: bool) -> Bounds {
        if by_day {
            Bounds {
                low: range.from.map(Value::from),
                high: range.to.and_then(Date::next_day).map(Value::from),
            }
        } else {
            let (low, high) = range.instants(zone);
            Bounds {
                low: low.map(Value::from),
                high: high.map(Value::from),
            }
        }
    }

    /// `column >= low AND column < high`, each where given.
    pub(crate) fn on<C: ColumnTrait>(&self, column: C) -> Condition {
        let mut c = Condition::all();
        if let Some(low) = &self.low {
            c = c.add(column.gte(low.clone()));
        }
        if let Some(high) = &self.high {
            c = c.add(column.lt(high.clone()));
        }
        c
    }
}

/// `lower(column) LIKE '%text%'`, the text's wildcards escaped.
fn contains_text<C: ColumnTrait>(column: C, text: &str) -> Condition {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Condition::all().add(
        Expr::expr(Func::lower(Expr::col(column.as_column_ref())))
            .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
    )
}

/// One page of rows of `E` owned by `owner`, newest first by `sort` then `id`,
/// with one row more than `limit` to tell whether another page follows.
async fn rows<E>(
    db: &impl ConnectionTrait,
    owner: Condition,
    (sort, id): (E::Column, E::Column),
    cursor: Option<&Cursor>,
    limit: u64,
) -> ServerResult<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let mut query = E::find().filter(owner);
    if let Some(cursor) = cursor {
        // A row-value comparison, `(sort, id) < (key, id)`: both databases
        // seek the owner's index to it. The equivalent `sort < key OR (sort =
        // key AND id < id)` made PostgreSQL walk the index from the newest
        // row and filter — 92 ms instead of 0.5 ms for a page deep in
        // 500,000 location points (measured by `make bench-export`).
        use sea_orm::sea_query::{Expr, ExprTrait};
        query = query.filter(
            Expr::tuple([sort.into_expr(), id.into_expr()]).lt(Expr::tuple([
                Expr::val(cursor.value()),
                Expr::val(cursor.id),
            ])),
        );
    }
    Ok(query
        .order_by_desc(sort)
        .order_by_desc(id)
        .limit(limit + 1)
        .all(db)
        .await?)
}

/// Cuts the extra row and makes the cursor of the next page.
fn finish<M>(
    mut rows: Vec<M>,
    limit: u64,
    cursor: impl Fn(&M) -> Cursor,
) -> (Vec<M>, Option<String>) {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more {
        rows.last().map(|last| cursor(last).encode())
    } else {
        None
    };
    (rows, next)
}

fn yes_no(value: bool) -> Option<String> {
    Some(if value { "yes" } else { "no" }.to_owned())
}

impl PersonalData {
    /// The holder's time zone.
    pub(crate) async fn zone(&self, account_id: Uuid) -> ServerResult<String> {
        Ok(profiles::Entity::find_by_id(account_id)
            .one(&self.db)
            .await?
            .map_or_else(|| DEFAULT_ZONE.to_owned(), |p| p.time_zone))
    }

    /// Every category with its item count (nothing is collecting while the
    /// account is being cancelled).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn overview(
        &self,
        me: &crate::sessions::Principal,
    ) -> ServerResult<Vec<CategoryCount>> {
        let account_id = me.account_id;
        let cancelling = me.cancellation.is_some();
        let consents = self.consents(account_id, false).await?;
        let mut counts = Vec::with_capacity(Category::ALL.len());
        for category in Category::ALL {
            let count = self.count(account_id, category).await?;
            let (oldest, newest) = if count > 0 && category.dated() {
                self.ends(account_id, category).await?
            } else {
                (None, None)
            };
            // Collection runs while a feature that governs the category is
            // granted and not paused for the policy.
            let governing: Vec<_> = consents
                .iter()
                .filter(|c| {
                    c.feature.governs().iter().any(
                        |g| matches!(g, domain::consent::Governs::Category(of) if *of == category),
                    )
                })
                .collect();
            let collecting = (!governing.is_empty()).then(|| {
                !cancelling
                    && governing.iter().any(|c| {
                        c.state == domain::consent::ConsentState::Granted && !c.paused_for_policy
                    })
            });
            counts.push(CategoryCount {
                category,
                count,
                oldest: oldest.map(|c| c.key_text()),
                newest: newest.map(|c| c.key_text()),
                collecting,
            });
        }
        Ok(counts)
    }

    /// The oldest and newest item's sort keys of a dated category.
    async fn ends(
        &self,
        me: Uuid,
        category: Category,
    ) -> ServerResult<(Option<Cursor>, Option<Cursor>)> {
        use listed::{ends, ends_by};
        let db = &self.db;
        Ok(match category {
            Category::Profile | Category::Settings | Category::AccountSecurity => (None, None),
            Category::Posts => {
                ends_by::<posts::Entity>(
                    db,
                    me,
                    (posts::Column::CreatedAt, posts::Column::Id),
                    |p| Cursor::at(p.created_at, p.id),
                )
                .await?
            }
            Category::Conversations => {
                ends_by::<conversations::Entity>(
                    db,
                    me,
                    (
                        conversations::Column::LastMessageAt,
                        conversations::Column::Id,
                    ),
                    |c| Cursor::at(c.last_message_at, c.id),
                )
                .await?
            }
            Category::Messages => {
                ends_by::<messages::Entity>(
                    db,
                    me,
                    (messages::Column::SentAt, messages::Column::Id),
                    |m| Cursor::at(m.sent_at, m.id),
                )
                .await?
            }
            Category::Friends => ends::<friends::Entity>(db, me).await?,
            Category::Blocked => ends::<blocked::Entity>(db, me).await?,
            Category::Location => ends::<location_points::Entity>(db, me).await?,
            Category::Steps => ends::<step_counts::Entity>(db, me).await?,
            Category::Contacts => ends::<contact_hashes::Entity>(db, me).await?,
            Category::Cards => ends::<bank_cards::Entity>(db, me).await?,
            Category::Devices => ends::<devices::Entity>(db, me).await?,
            Category::SignIns => ends::<sign_ins::Entity>(db, me).await?,
            Category::Consents => ends::<consent_receipts::Entity>(db, me).await?,
            Category::Notifications => ends::<notifications::Entity>(db, me).await?,
            Category::Requests => ends::<requests::Entity>(db, me).await?,
            Category::Activity => ends::<activity::Entity>(db, me).await?,
        })
    }

    pub(crate) async fn count(&self, me: Uuid, category: Category) -> ServerResult<u64> {
        use listed::count;
        let db = &self.db;
        Ok(match category {
            Category::Profile | Category::Settings => 1,
            Category::AccountSecurity => {
                1 + emergency_contacts::Entity::find()
                    .filter(emergency_contacts::Column::AccountId.eq(me))
                    .count(db)
                    .await?
            }
            Category::Posts => count::<posts::Entity>(db, me).await?,
            Category::Conversations => count::<conversations::Entity>(db, me).await?,
            Category::Messages => count::<messages::Entity>(db, me).await?,
            Category::Friends => count::<friends::Entity>(db, me).await?,
            Category::Blocked => count::<blocked::Entity>(db, me).await?,
            Category::Location => count::<location_points::Entity>(db, me).await?,
            Category::Steps => count::<step_counts::Entity>(db, me).await?,
            Category::Contacts => count::<contact_hashes::Entity>(db, me).await?,
            Category::Cards => count::<bank_cards::Entity>(db, me).await?,
            Category::Devices => count::<devices::Entity>(db, me).await?,
            Category::SignIns => count::<sign_ins::Entity>(db, me).await?,
            Category::Consents => count::<consent_receipts::Entity>(db, me).await?,
            Category::Notifications => count::<notifications::Entity>(db, me).await?,
            Category::Requests => count::<requests::Entity>(db, me).await?,
            Category::Activity => count::<activity::Entity>(db, me).await?,
        })
    }

    /// One page of a category. `conversation` narrows `messages` to one
    /// conversation.
    ///
    /// # Errors
    /// 422 `invalid_cursor` or `invalid_conversation`; when the database fails.
    pub async fn page(
        &self,
        me: Uuid,
        category: Category,
        cursor: Option<&str>,
        limit: Option<u64>,
        narrowing: &Narrowing,
    ) -> ServerResult<DataPage> {
        let limit = limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
        self.listing(me, category, cursor, limit, narrowing).await
    }

    /// Every item of a range for a chart, newest first: up to
    /// [`SERIES_DAYS`] days of steps or [`SERIES_POINTS`] location points.
    ///
    /// # Errors
    /// 422 as [`Narrowing::parse`]; 404 `no_chart` for other categories.
    pub async fn series(
        &self,
        me: Uuid,
        category: Category,
        narrowing: &Narrowing,
    ) -> ServerResult<DataPage> {
        let cap = match category {
            Category::Steps => SERIES_DAYS,
            Category::Location => SERIES_POINTS,
            _ => {
                return Err(AppError::new(
                    404,
                    "no_chart",
                    "Only steps and location are drawn as charts.",
                )
                .into());
            }
        };
        let mut page = self.listing(me, category, None, cap, narrowing).await?;
        // The chart shows what it has; the list below pages the rest.
        page.next_cursor = None;
        Ok(page)
    }

    /// One page of `limit` items, unbounded: the export reads a category in
    /// pages larger than a client may ask for.
    pub(crate) async fn listing(
        &self,
        me: Uuid,
        category: Category,
        cursor: Option<&str>,
        limit: u64,
        narrowing: &Narrowing,
    ) -> ServerResult<DataPage> {
        let zone = self.zone(me).await?;
        let bounds = Bounds::of(narrowing.range, &zone, category == Category::Steps);
        let cursor = cursor
            .filter(|c| !c.is_empty())
            .map(Cursor::parse)
            .transpose()?;
        let cursor = cursor.as_ref();
        let limit = limit.max(1);
        let db = &self.db;
        let deletable = category.items_deletable();
        let (items, next_cursor): (Vec<DataItem>, Option<String>) = match category {
            Category::Profile => (vec![self.profile_item(me).await?], None),
            Category::AccountSecurity => (self.security_items(me).await?, None),
            Category::Settings => (vec![self.settings_item(me).await?], None),
            Category::Posts => {
                let mut owner = Condition::all()
                    .add(posts::Column::AccountId.eq(me))
                    .add(bounds.on(posts::Column::CreatedAt));
                if let Some(text) = &narrowing.text {
                    owner = owner.add(contains_text(posts::Column::Body, text));
                }
                let found = rows::<posts::Entity>(
                    db,
                    owner,
                    (posts::Column::CreatedAt, posts::Column::Id),
                    cursor,
                    limit,
                )
                .await?;
                let (found, next) = finish(found, limit, |p| Cursor::at(p.created_at, p.id));
                (self.post_items(me, &found).await?, next)
            }
            Category::Conversations => {
                let found = rows::<conversations::Entity>(
                    db,
                    Condition::all()
                        .add(conversations::Column::AccountId.eq(me))
                        .add(bounds.on(conversations::Column::LastMessageAt)),
                    (
                        conversations::Column::LastMessageAt,
                        conversations::Column::Id,
                    ),
                    cursor,
                    limit,
                )
                .await?;
                let (found, next) = finish(found, limit, |c| Cursor::at(c.last_message_at, c.id));
                let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
                let counts: HashMap<Uuid, i64> = messages::Entity::find()
                    .select_only()
                    .column(messages::Column::ConversationId)
                    .column_as(messages::Column::Id.count(), "n")
                    .filter(messages::Column::AccountId.eq(me))
                    .filter(messages::Column::ConversationId.is_in(ids))
                    .group_by(messages::Column::ConversationId)
                    .into_tuple::<(Uuid, i64)>()
                    .all(db)
                    .await?
                    .into_iter()
                    .collect();
                let items = found
                    .iter()
                    .map(|c| {
                        item(
                            c.id,
                            Some(c.last_message_at),
                            [
                                ("peer", Some(c.peer_name.clone())),
                                (
                                    "message_count",
                                    Some(counts.get(&c.id).copied().unwrap_or(0).to_string()),
                                ),
                            ],
                            deletable,
                        )
                    })
                    .collect();
                (items, next)
            }
            Category::Messages => {
                let mut owner = Condition::all()
                    .add(messages::Column::AccountId.eq(me))
                    .add(bounds.on(messages::Column::SentAt));
                if let Some(id) = narrowing.conversation {
                    owner = owner.add(messages::Column::ConversationId.eq(id));
                }
                if let Some(text) = &narrowing.text {
                    owner = owner.add(contains_text(messages::Column::Body, text));
                }
                let found = rows::<messages::Entity>(
                    db,
                    owner,
                    (messages::Column::SentAt, messages::Column::Id),
                    cursor,
                    limit,
                )
                .await?;
                let (found, next) = finish(found, limit, |m| Cursor::at(m.sent_at, m.id));
                let peers: HashMap<Uuid, String> = conversations::Entity::find()
                    .filter(conversations::Column::AccountId.eq(me))
                    .filter(
                        conversations::Column::Id
                            .is_in(found.iter().map(|m| m.conversation_id).collect::<Vec<_>>()),
                    )
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|c| (c.id, c.peer_name))
                    .collect();
                let items = found
                    .iter()
                    .map(|m| {
                        item(
                            m.id,
                            Some(m.sent_at),
                            [
                                ("peer", peers.get(&m.conversation_id).cloned()),
                                (
                                    "direction",
                                    Some(
                                        if m.from_me { "outgoing" } else { "incoming" }.to_owned(),
                                    ),
                                ),
                                ("text", Some(m.body.clone())),
                                ("conversation", Some(m.conversation_id.to_string())),
                            ],
                            deletable,
                        )
                    })
                    .collect();
                (items, next)
            }
            Category::Friends => {
                listed::<friends::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Blocked => {
                listed::<blocked::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Location => {
                listed::<location_points::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Steps => {
                listed::<step_counts::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Contacts => {
                listed::<contact_hashes::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Cards => {
                listed::<bank_cards::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Devices => {
                listed::<devices::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::SignIns => {
                listed::<sign_ins::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Consents => {
                listed::<consent_receipts::Entity>(db, me, &bounds, cursor, limit, deletable)
                    .await?
            }
            Category::Notifications => {
                listed::<notifications::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Requests => {
                listed::<requests::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
            Category::Activity => {
                listed::<activity::Entity>(db, me, &bounds, cursor, limit, deletable).await?
            }
        };
        Ok(DataPage {
            category,
            time_zone: zone,
            items,
            next_cursor,
            clearable: category.clearable(),
        })
    }

    async fn profile_item(&self, me: Uuid) -> ServerResult<DataItem> {
        let account = accounts::Entity::find_by_id(me)
            .one(&self.db)
            .await?
            .ok_or_else(AppError::not_found)?;
        let profile = profiles::Entity::find_by_id(me).one(&self.db).await?;
        let p = profile.as_ref();
        Ok(item(
            me,
            p.map(|p| p.updated_at),
            [
                ("account_id", p.map(|p| p.account_code.clone())),
                ("qr_code", p.map(|p| p.qr_code.clone())),
                ("display_name", Some(account.display_name)),
                ("photo", p.and_then(|p| p.photo.clone())),
                ("gender", p.and_then(|p| p.gender.clone())),
                ("region", p.and_then(|p| p.region.clone())),
                ("signature", p.and_then(|p| p.signature.clone())),
                ("address", p.and_then(|p| p.address.clone())),
                (
                    "time_zone",
                    Some(p.map_or_else(|| DEFAULT_ZONE.to_owned(), |p| p.time_zone.clone())),
                ),
            ],
            false,
        ))
    }

    async fn security_items(&self, me: Uuid) -> ServerResult<Vec<DataItem>> {
        let account = accounts::Entity::find_by_id(me)
            .one(&self.db)
            .await?
            .ok_or_else(AppError::not_found)?;
        let security = account_security::Entity::find_by_id(me)
            .one(&self.db)
            .await?;
        let s = security.as_ref();
        let mut items = vec![item(
            me,
            s.map(|s| s.updated_at),
            [
                ("email", Some(account.email)),
                ("mobile", s.and_then(|s| s.mobile.clone())),
                ("linked_qq", s.and_then(|s| s.linked_qq.clone())),
                (
                    "voiceprint",
                    Some(
                        s.and_then(|s| s.voiceprint_enrolled_at)
                            .map_or_else(|| "not_enrolled".to_owned(), rfc3339),
                    ),
                ),
                // The password is never shown, not even as a hash.
                ("password", Some("never_shown".to_owned())),
            ],
            false,
        )];
        let contacts = emergency_contacts::Entity::find()
            .filter(emergency_contacts::Column::AccountId.eq(me))
            .order_by_desc(emergency_contacts::Column::AddedAt)
            .all(&self.db)
            .await?;
        items.extend(contacts.iter().map(|c| {
            item(
                c.id,
                Some(c.added_at),
                [
                    ("emergency_contact", Some(c.name.clone())),
                    ("mobile", Some(c.mobile.clone())),
                ],
                true,
            )
        }));
        Ok(items)
    }

    pub(crate) async fn stored_settings(&self, me: Uuid) -> ServerResult<PrivacySettings> {
        stored_settings_in(&self.db, me).await
    }

    async fn settings_item(&self, me: Uuid) -> ServerResult<DataItem> {
        let s = self.stored_settings(me).await?;
        Ok(item(
            me,
            None,
            [
                ("friend_confirmation", yes_no(s.friend_confirmation)),
                ("find_by_mobile", yes_no(s.find_by_mobile)),
                ("find_by_wechat_id", yes_no(s.find_by_wechat_id)),
                ("find_by_qq", yes_no(s.find_by_qq)),
                ("find_by_qr_code", yes_no(s.find_by_qr_code)),
                ("find_by_group_chat", yes_no(s.find_by_group_chat)),
                ("find_by_name_card", yes_no(s.find_by_name_card)),
                ("posts_window", Some(s.posts_window.as_str().to_owned())),
                ("strangers_see_recent", yes_no(s.strangers_see_recent)),
            ],
            false,
        ))
    }

    async fn post_items(&self, me: Uuid, found: &[posts::Model]) -> ServerResult<Vec<DataItem>> {
        let ids: Vec<Uuid> = found.iter().map(|p| p.id).collect();
        let photos = post_photos::Entity::find()
            .filter(post_photos::Column::AccountId.eq(me))
            .filter(post_photos::Column::PostId.is_in(ids.clone()))
            .all(&self.db)
            .await?;
        let comments = post_comments::Entity::find()
            .filter(post_comments::Column::AccountId.eq(me))
            .filter(post_comments::Column::PostId.is_in(ids.clone()))
            .order_by_asc(post_comments::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let likes = post_likes::Entity::find()
            .filter(post_likes::Column::AccountId.eq(me))
            .filter(post_likes::Column::PostId.is_in(ids))
            .order_by_asc(post_likes::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let joined = |lines: Vec<String>| (!lines.is_empty()).then(|| lines.join("\n"));
        Ok(found
            .iter()
            .map(|p| {
                let photos = photos
                    .iter()
                    .filter(|ph| ph.post_id == p.id)
                    .map(|ph| {
                        let mut line = format!("{} · {}×{}", ph.file_name, ph.width, ph.height);
                        if let Some(camera) = &ph.camera {
                            line.push_str(" · ");
                            line.push_str(camera);
                        }
                        line
                    })
                    .collect();
                let comments = comments
                    .iter()
                    .filter(|c| c.post_id == p.id)
                    .map(|c| format!("{}: {}", c.author_name, c.body))
                    .collect();
                let likes: Vec<String> = likes
                    .iter()
                    .filter(|l| l.post_id == p.id)
                    .map(|l| l.liker_name.clone())
                    .collect();
                item(
                    p.id,
                    Some(p.created_at),
                    [
                        ("text", Some(p.body.clone())),
                        ("place", p.place.clone()),
                        ("photos", joined(photos)),
                        ("comments", joined(comments)),
                        ("likes", (!likes.is_empty()).then(|| likes.join(", "))),
                    ],
                    true,
                )
            })
            .collect())
    }
}

impl PersonalData {
    /// A page of the requester's data for the officer working a request: the
    /// look is authorised and audited by [`Requests::open_data_access`]; the
    /// page is read-only (officers read, only the holder deletes).
    ///
    /// # Errors
    /// As [`Requests::open_data_access`] and [`PersonalData::page`].
    ///
    /// [`Requests::open_data_access`]: crate::requests::Requests::open_data_access
    pub async fn requester_page(
        &self,
        requests: &crate::requests::Requests,
        officer: &crate::sessions::Principal,
        ack: &str,
        category: Category,
        cursor: Option<&str>,
    ) -> ServerResult<DataPage> {
        let holder = requests
            .open_data_access(officer, ack, category.as_str())
            .await?;
        let mut page = self
            .page(holder, category, cursor, None, &Narrowing::default())
            .await?;
        page.clearable = false;
        for item in &mut page.items {
            item.deletable = false;
        }
        Ok(page)
    }

    /// The holder's posts as `viewer` sees them under the privacy settings
    /// (Weixin guideline §6.7): the window, the "don't share" list and what
    /// strangers may see. `viewer` is `me`, `stranger` or a friend's ID.
    ///
    /// # Errors
    /// 422 `invalid_viewer` for anything else (another account's friend too).
    pub async fn posts_seen_by(&self, me: Uuid, viewer: &str) -> ServerResult<DataPage> {
        use domain::data::Viewer;
        let viewer = match viewer {
            "me" => Viewer::Me,
            "stranger" => Viewer::Stranger,
            raw => {
                let bad = || {
                    AppError::invalid(
                        "viewer",
                        "invalid_viewer",
                        "viewer: me, stranger, or the ID of one of your friends.",
                    )
                };
                let id = Uuid::parse_str(raw).map_err(|_| bad())?;
                friends::Entity::find_by_id(id)
                    .filter(friends::Column::AccountId.eq(me))
                    .one(&self.db)
                    .await?
                    .ok_or_else(bad)?;
                let dont_share = crate::entities::data::settings_lists::Entity::find()
                    .filter(crate::entities::data::settings_lists::Column::AccountId.eq(me))
                    .filter(crate::entities::data::settings_lists::Column::List.eq("dont_share"))
                    .filter(crate::entities::data::settings_lists::Column::FriendId.eq(id))
                    .one(&self.db)
                    .await?
                    .is_some();
                Viewer::Friend { dont_share }
            }
        };
        let settings = self.stored_settings(me).await?;
        let all: Vec<(Uuid, OffsetDateTime)> = posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .column(posts::Column::CreatedAt)
            .filter(posts::Column::AccountId.eq(me))
            .order_by_desc(posts::Column::CreatedAt)
            .order_by_desc(posts::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let instants: Vec<OffsetDateTime> = all.iter().map(|(_, at)| *at).collect();
        let shown: Vec<Uuid> =
            domain::data::visible_posts(&settings, &viewer, &instants, self.clock.now())
                .into_iter()
                .take(usize::try_from(PAGE_DEFAULT).unwrap_or(50))
                .map(|i| all[i].0)
                .collect();
        let found = posts::Entity::find()
            .filter(posts::Column::AccountId.eq(me))
            .filter(posts::Column::Id.is_in(shown))
            .order_by_desc(posts::Column::CreatedAt)
            .order_by_desc(posts::Column::Id)
            .all(&self.db)
            .await?;
        let mut items = self.post_items(me, &found).await?;
        for item in &mut items {
            item.deletable = false;
        }
        Ok(DataPage {
            category: Category::Posts,
            time_zone: self.zone(me).await?,
            items,
            next_cursor: None,
            clearable: false,
        })
    }
}

/// The holder's privacy settings as stored, read through `conn` (inside a
/// write transaction when the caller is about to change them).
pub(crate) async fn stored_settings_in(
    conn: &impl ConnectionTrait,
    me: Uuid,
) -> ServerResult<PrivacySettings> {
    // No row: the defaults. A row that does not read is a fault to report,
    // never a reason to show (and then save) the defaults.
    let row = privacy_settings::Entity::find_by_id(me).one(conn).await?;
    Ok(match row {
        None => PrivacySettings::default(),
        Some(row) => serde_json::from_str(&row.settings)
            .map_err(|e| anyhow::anyhow!("stored privacy settings unreadable: {e}"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        let id = Uuid::from_u128(42);
        let at = time::macros::datetime!(2026-11-29 08:15:30.123456 UTC);
        for cursor in [
            Cursor::at(at, id),
            Cursor {
                key: Key::Day(time::macros::date!(2026 - 02 - 28)),
                id,
            },
        ] {
            assert_eq!(Cursor::parse(&cursor.encode()), Ok(cursor));
        }
        for bad in [
            "",
            "t",
            "t12_",
            "x1_00000000000000000000000000000042",
            "tabc_00000000000000000000000000000042",
            "d99999999999_00000000000000000000000000000042",
        ] {
            assert_eq!(
                Cursor::parse(bad).expect_err("refused").code,
                "invalid_cursor",
                "{bad}"
            );
        }
    }
}
