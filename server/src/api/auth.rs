//! `/api/v1/auth/*` and `/api/v1/me`: accounts and sessions.

use super::{AppJson, ClientAddr, CurrentUser, ErrorBody, UserAgent};
use crate::errors::ServerResult;
use crate::state::AppState;
use app::auth::{Me, SignUpForm};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header::SET_COOKIE},
    response::{IntoResponse, Response},
};
use domain::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A sign-up accepted: whether or not the address has an account, a message
/// is on its way to it (a link that finishes the sign-up, or a note that the
/// address already has an account).
#[derive(Serialize, ToSchema)]
pub struct SignUpAccepted {
    #[schema(example = "verification_sent")]
    status: &'static str,
    #[schema(example = "Check your inbox: open the link we sent within 24 hours to finish.")]
    message: &'static str,
}

/// Starts a holder sign-up: the account is created when the link e-mailed to
/// the address is opened (`POST /api/v1/auth/verify-email`). The answer is
/// the same whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignUpForm,
    responses(
        (status = 202, body = SignUpAccepted),
        (status = 422, description = "a field is invalid; `age_restricted` under 13; `password_too_common`", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many sign-ups from this address", body = ErrorBody),
    ))]
pub async fn sign_up(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    AppJson(form): AppJson<SignUpForm>,
) -> ServerResult<Response> {
    state.accounts.sign_up(form, client).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SignUpAccepted {
            status: "verification_sent",
            message: "Check your inbox: open the link we sent within 24 hours to finish. If the address already has an account, the message says so.",
        }),
    )
        .into_response())
}

/// The token from a sign-up e-mail's link.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct VerifyEmailRequest {
    token: String,
}

/// The account just created, signed in.
#[derive(Serialize, ToSchema)]
pub struct AccountCreated {
    account_id: String,
    /// A session token, as from `/api/v1/auth/login`.
    token: String,
    role: Role,
}

/// Finishes a sign-up with the token from its e-mail link: creates the
/// account and opens a session. A link works once, for 24 hours.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses(
        (status = 201, body = AccountCreated),
        (status = 409, description = "`email_unavailable`: the address got an account meanwhile", body = ErrorBody),
        (status = 410, description = "`link_expired`: unknown, used or expired link", body = ErrorBody),
    ))]
pub async fn verify_email(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    UserAgent(agent): UserAgent,
    AppJson(body): AppJson<VerifyEmailRequest>,
) -> ServerResult<Response> {
    let (id, signed_in) = state
        .accounts
        .confirm_sign_up(&body.token, client, agent.as_deref())
        .await?;
    let cookie = state.sessions.session_cookie(&signed_in.token);
    Ok((
        StatusCode::CREATED,
        [(SET_COOKIE, cookie)],
        Json(AccountCreated {
            account_id: id.to_string(),
            token: signed_in.token,
            role: signed_in.role,
        }),
    )
        .into_response())
}

/// Credentials.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SignInRequest {
    email: String,
    password: String,
}

/// A session: the token works as `Authorization: Bearer` and is also set as
/// the HttpOnly session cookie.
#[derive(Serialize, ToSchema)]
pub struct SignInResponse {
    token: String,
    role: Role,
}

/// Signs in.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = SignInRequest,
    responses(
        (status = 200, body = SignInResponse),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    UserAgent(agent): UserAgent,
    AppJson(body): AppJson<SignInRequest>,
) -> ServerResult<Response> {
    let signed_in = state
        .accounts
        .sign_in(&body.email, &body.password, client, agent.as_deref())
        .await?;
    let cookie = state.sessions.session_cookie(&signed_in.token);
    Ok((
        [(SET_COOKIE, cookie)],
        Json(SignInResponse {
            token: signed_in.token,
            role: signed_in.role,
        }),
    )
        .into_response())
}

/// Signs out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn sign_out(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Response> {
    state.sessions.revoke(&me).await?;
    tracing::info!(account.id = %me.account_id, "signed out");
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, state.sessions.clear_cookie())],
    )
        .into_response())
}

/// The password again.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReauthRequest {
    password: String,
}

/// Re-enters the password, opening the 5-minute window for sensitive actions.
#[utoipa::path(post, path = "/api/v1/auth/reauth", tag = "auth", request_body = ReauthRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn reauthenticate(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
    ClientAddr(client): ClientAddr,
    AppJson(body): AppJson<ReauthRequest>,
) -> ServerResult<StatusCode> {
    state
        .accounts
        .reauthenticate(&me, &body.password, client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's summary.
#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn me(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> ServerResult<Json<Me>> {
    let pending_policy = state.data.pending_policy(&me).await?;
    let cancellation = crate::cancellation::view_of(&me, state.clock.now());
    let incidents = state.incidents.mine(&me).await?;
    Ok(Json(Me {
        incidents,
        cancellation,
        account_id: me.account_id.to_string(),
        display_name: me.display_name,
        role: me.role,
        locale: me.locale,
        minor: me.minor,
        pending_policy,
    }))
}

/// The address of the account whose password was forgotten.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PasswordResetRequest {
    email: String,
}

/// A reset asked for: the same answer whether or not the address has an account.
#[derive(Serialize, ToSchema)]
pub struct PasswordResetAccepted {
    #[schema(example = "reset_sent")]
    status: &'static str,
    message: &'static str,
}

/// Asks for a forgotten password's link. An account's address gets a
/// one-time link valid 15 minutes; the answer is the same (202) whether or
/// not the address has an account. At most 3 mails per address per hour.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses(
        (status = 202, body = PasswordResetAccepted),
        (status = 422, description = "`invalid_email`", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many from this client address", body = ErrorBody),
    ))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    AppJson(body): AppJson<PasswordResetRequest>,
) -> ServerResult<Response> {
    state
        .accounts
        .request_password_reset(&body.email, client)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PasswordResetAccepted {
            status: "reset_sent",
            message: "If the address has an account, a link to choose a new password is on its way. It works once, for 15 minutes.",
        }),
    )
        .into_response())
}

/// A reset link's token and the new password.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PasswordResetConfirm {
    token: String,
    password: String,
}

/// Sets a new password with a reset link's token (a forgotten password's,
/// or a granted re-access request's once its hold is over). Works once;
/// every session of the account ends; the holder is told.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = PasswordResetConfirm,
    responses(
        (status = 204),
        (status = 409, description = "`link_not_open`: a re-access link still in its hold", body = ErrorBody),
        (status = 410, description = "`link_expired` (unknown, used or expired) or `access_stopped`", body = ErrorBody),
        (status = 422, description = "the password: `password_too_short`, `password_too_common`, …", body = ErrorBody),
    ))]
pub async fn confirm_password_reset(
    State(state): State<AppState>,
    AppJson(body): AppJson<PasswordResetConfirm>,
) -> ServerResult<StatusCode> {
    state
        .accounts
        .reset_password(&body.token, &body.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The token of the stop link sent to the e-mail address and mobile on file.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReaccessStop {
    token: String,
}

/// Stops a granted account re-access during its hold (the link in the
/// notice to the e-mail address and mobile on file).
#[utoipa::path(post, path = "/api/v1/auth/reaccess/stop", tag = "auth", request_body = ReaccessStop,
    responses(
        (status = 204),
        (status = 409, description = "`access_already_used`", body = ErrorBody),
        (status = 410, description = "`link_expired`: unknown link", body = ErrorBody),
    ))]
pub async fn stop_reaccess(
    State(state): State<AppState>,
    AppJson(body): AppJson<ReaccessStop>,
) -> ServerResult<StatusCode> {
    state.accounts.stop_reaccess(&body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
