//! `/api/v1/me/data*`, `/api/v1/me/profile`, `/api/v1/me/settings`: the
//! holder's rights of access, correction and deletion (DESIGN §2, §9).

use super::{AppJson, AppQuery, CurrentUser, ErrorBody};
use crate::data::Narrowing;
use crate::errors::ServerResult;
use crate::state::AppState;
use app::data::{CategoryCount, Correction, DataFilter, DataPage, SettingsView};
use app::error::AppError;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::data::Category;
use serde::{Deserialize, Serialize};

use utoipa::{IntoParams, ToSchema};

use crate::data::parse_category as category;

/// Every category.
#[derive(Serialize, ToSchema)]
pub struct Overview {
    /// `[{category, count}]` in the order of DESIGN §3.
    categories: Vec<CategoryCount>,
    /// The same counts by category name.
    counts: std::collections::BTreeMap<String, u64>,
    /// Your time zone: the days of a range (`?from=&to=`) are its days.
    time_zone: String,
}

/// Every category with its item count.
#[utoipa::path(get, path = "/api/v1/me/data", tag = "data",
    responses((status = 200, body = Overview), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Overview>> {
    let categories = state.data.overview(&me).await?;
    let counts = categories
        .iter()
        .map(|c| (c.category.as_str().to_owned(), c.count))
        .collect();
    let time_zone = state.data.zone(me.account_id).await?;
    Ok(Json(Overview {
        categories,
        counts,
        time_zone,
    }))
}

/// Paging of a category.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 200 (50 when absent).
    limit: Option<u64>,
    /// `messages` only: one conversation's.
    conversation: Option<String>,
    /// The first day (`YYYY-MM-DD`, in your time zone, inclusive); any
    /// dated category.
    from: Option<String>,
    /// The last day (`YYYY-MM-DD`, inclusive).
    to: Option<String>,
    /// `messages` and `posts`: only items whose text contains this
    /// (any case, at most 100 characters).
    q: Option<String>,
}

/// The items of one category, newest first: `{category, time_zone, items:
/// [{id, at, day, fields: [{key, value}], deletable}], next_cursor, clearable}`.
#[utoipa::path(get, path = "/api/v1/me/data/{category}", tag = "data",
    params(("category" = Category, Path), PageQuery),
    responses(
        (status = 200, description = "one page", body = DataPage),
        (status = 401, body = ErrorBody),
        (status = 404, description = "`unknown_category`", body = ErrorBody),
        (status = 422, description = "`invalid_cursor`, `invalid_date`, `date_out_of_range`, `inverted_range`, `not_dated`, `not_searchable`, `too_long`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn page(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(raw): Path<String>,
    AppQuery(query): AppQuery<PageQuery>,
) -> ServerResult<Json<DataPage>> {
    let category = category(&raw)?;
    let narrowing = Narrowing::parse(
        category,
        &DataFilter {
            conversation: query.conversation,
            from: query.from,
            to: query.to,
            q: query.q,
        },
    )?;
    Ok(Json(
        state
            .data
            .page(
                me.account_id,
                category,
                query.cursor.as_deref(),
                query.limit,
                &narrowing,
            )
            .await?,
    ))
}

/// Deletes one item of the caller's. Another account's item is 404 and
/// nothing changes.
#[utoipa::path(delete, path = "/api/v1/me/data/{category}/{item_id}", tag = "data",
    params(("category" = Category, Path), ("item_id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, description = "`reauth_required` (emergency contacts, cards, devices)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`not_deletable`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn delete_item(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path((raw, item)): Path<(String, String)>,
) -> ServerResult<StatusCode> {
    let category = category(&raw)?;
    state.data.delete_item(&me, category, &item).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many items went.
#[derive(Serialize, ToSchema)]
pub struct Cleared {
    deleted: u64,
}

/// Days to delete.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct RangeQuery {
    /// The first day (`YYYY-MM-DD`, in your time zone, inclusive).
    from: Option<String>,
    /// The last day (`YYYY-MM-DD`, inclusive).
    to: Option<String>,
}

/// Clears a category where allowed (posts, conversations, messages, blocked,
/// location, steps, contacts, notifications) — or, with `from` and/or `to`,
/// only the items of those days. One transaction, one activity record.
#[utoipa::path(delete, path = "/api/v1/me/data/{category}", tag = "data",
    params(("category" = Category, Path), RangeQuery),
    responses(
        (status = 200, body = Cleared),
        (status = 404, description = "`unknown_category`", body = ErrorBody),
        (status = 409, description = "`not_clearable`", body = ErrorBody),
        (status = 422, description = "`invalid_date`, `date_out_of_range`, `inverted_range`", body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn clear(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    Path(raw): Path<String>,
    AppQuery(query): AppQuery<RangeQuery>,
) -> ServerResult<Json<Cleared>> {
    let category = category(&raw)?;
    let range = crate::data::parse_range(query.from.as_deref(), query.to.as_deref())?;
    Ok(Json(Cleared {
        deleted: state.data.clear_range(&me, category, range).await?,
    }))
}

/// Corrects profile and security fields: a JSON object of field → new value
/// (`null` clears an optional field). Fields: `display_name`, `photo`,
/// `gender` (female, male, unspecified), `region`, `signature` (≤ 30),
/// `address`, `time_zone`; inside the re-authentication window also `email`,
/// `mobile` (E.164) and `linked_qq`. `account_id` and `qr_code` answer 409
/// `field_immutable`. All or nothing. Answers the profile page.
#[utoipa::path(patch, path = "/api/v1/me/profile", tag = "data",
    request_body(content = std::collections::BTreeMap<String, Option<String>>, description = "field → value or null"),
    responses(
        (status = 200, description = "the profile page", body = DataPage),
        (status = 403, description = "`reauth_required` for security fields", body = ErrorBody),
        (status = 409, description = "`field_immutable`, `email_unavailable`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn correct(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<serde_json::Map<String, serde_json::Value>>,
) -> ServerResult<Json<DataPage>> {
    let corrections = body
        .into_iter()
        .map(|(field, value)| match value {
            serde_json::Value::Null => Ok(Correction { field, value: None }),
            serde_json::Value::String(s) => Ok(Correction {
                field,
                value: Some(s),
            }),
            _ => Err(AppError::invalid(
                &field,
                "invalid_type",
                format!("{field}: a text, or null to clear it."),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    state.data.correct(&me, &corrections).await?;
    Ok(Json(
        state
            .data
            .page(
                me.account_id,
                Category::Profile,
                None,
                None,
                &Narrowing::default(),
            )
            .await?,
    ))
}

/// A new emergency contact.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewContact {
    name: String,
    /// E.164, e.g. `+8613812345678`.
    mobile: String,
}

/// The new item's ID.
#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Adds an emergency contact (inside the re-authentication window).
#[utoipa::path(post, path = "/api/v1/me/emergency-contacts", tag = "data", request_body = NewContact,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_emergency_contact(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<NewContact>,
) -> ServerResult<Response> {
    let id = state
        .data
        .add_emergency_contact(&me, &body.name, &body.mobile)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })).into_response())
}

/// The privacy settings: `{settings: {friend_confirmation, find_by_mobile,
/// find_by_wechat_id, find_by_qq, find_by_qr_code, find_by_group_chat,
/// find_by_name_card, posts_window: all | six_months | three_days,
/// strangers_see_recent}, dont_share: [friend id], hide: [friend id], friends: [{id, name}]}`.
#[utoipa::path(get, path = "/api/v1/me/settings", tag = "data",
    responses((status = 200, body = SettingsView), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn settings(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<SettingsView>> {
    Ok(Json(state.data.settings(me.account_id).await?))
}

/// Changes the privacy settings: `{settings: {…}, dont_share: [friend id], hide: [friend id]}`
/// as GET shows them, or just the settings' fields at the top level. Fields
/// left out keep their value (a partial update); `friends` is ignored.
#[utoipa::path(put, path = "/api/v1/me/settings", tag = "data",
    request_body(content = SettingsView, description = "all of it as GET shows it, or only the fields to change"),
    responses((status = 200, body = SettingsView), (status = 422, description = "`unknown_friend`, `invalid_setting` with the field", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn save_settings(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppJson(body): AppJson<serde_json::Map<String, serde_json::Value>>,
) -> ServerResult<Json<SettingsView>> {
    Ok(Json(state.data.patch_settings(me.account_id, &body).await?))
}

/// Who looks.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ViewerQuery {
    /// `me`, `stranger`, or one of your friends' IDs.
    viewer: String,
}

/// Your posts as someone else sees them under your privacy settings.
#[utoipa::path(get, path = "/api/v1/me/posts/preview", tag = "data", params(ViewerQuery),
    responses((status = 200, body = DataPage), (status = 422, description = "`invalid_viewer`", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn posts_preview(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    AppQuery(query): AppQuery<ViewerQuery>,
) -> ServerResult<Json<DataPage>> {
    Ok(Json(
        state
            .data
            .posts_seen_by(me.account_id, &query.viewer)
            .await?,
    ))
}
