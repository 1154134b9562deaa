//! The admin sub-commands of `portal` (DESIGN §10).

use crate::accounts::Accounts;
use crate::data::{PersonalData, seed::Volume};
use crate::errors::ServerError;
use crate::state::AppState;
use anyhow::Context;
use domain::{AgeBand, BirthDate, DisplayName, Email, Locale, Password, Role};

/// The demo accounts: (e-mail, password, display name, role).
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 3] = [
    (
        "demo@example.com",
        "demo-password-1",
        "李华 (Li Hua)",
        Role::Holder,
    ),
    (
        "officer@example.com",
        "officer-password-1",
        "Privacy Officer 隐私官",
        Role::Officer,
    ),
    (
        "admin@example.com",
        "admin-password-1",
        "Administrator 管理员",
        Role::Admin,
    ),
];

/// Creates the demo accounts that do not exist yet and fills the demo
/// holder's data (every category, one request of their own); running it twice
/// changes nothing. Returns how many accounts were created.
///
/// # Errors
/// When the database fails.
pub async fn seed_demo(state: &AppState) -> anyhow::Result<usize> {
    let created = seed_demo_accounts(state).await?;
    for (n, (email, _, _, role)) in DEMO_ACCOUNTS.into_iter().enumerate() {
        if role != Role::Holder {
            continue;
        }
        let email = Email::parse(email)?;
        if let Some(holder) = state
            .accounts
            .find_by_email(&email)
            .await
            .map_err(into_anyhow)?
        {
            seed_holder(state, holder.id, n as u64).await?;
        }
    }
    Ok(created)
}

/// Creates the demo accounts that do not exist yet, without any data.
///
/// # Errors
/// When the database fails.
pub async fn seed_demo_accounts(state: &AppState) -> anyhow::Result<usize> {
    let accounts = &state.accounts;
    let mut created = 0;
    for (email, password, name, role) in DEMO_ACCOUNTS {
        let email = Email::parse(email)?;
        if accounts
            .find_by_email(&email)
            .await
            .map_err(into_anyhow)?
            .is_some()
        {
            continue;
        }
        let birth = BirthDate::parse("1990-05-17", time::macros::date!(2026 - 01 - 01))?;
        accounts
            .insert(
                email,
                &Password::parse(password)?,
                DisplayName::parse(name)?,
                birth,
                AgeBand::Adult,
                role,
                Locale::En,
            )
            .await
            .map_err(into_anyhow)?;
        created += 1;
    }
    Ok(created)
}

/// Fills the demo holder's data once, with one request of their own so that
/// every category has something to show.
async fn seed_holder(state: &AppState, id: uuid::Uuid, seed: u64) -> anyhow::Result<()> {
    if !state
        .data
        .seed_holder(id, Volume::DEMO, seed)
        .await
        .map_err(into_anyhow)?
    {
        return Ok(());
    }
    // What a re-access request can be checked against (QQ terms §3.3): the
    // demo holder registered in the app and had an earlier password.
    seed_recovery_facts(state, id).await?;
    let me = crate::sessions::Principal::acting_for(id, Role::Holder, Locale::En);
    let request = app::requests::NewRequest {
        kind: "access".to_owned(),
        channel: "in_app".to_owned(),
        details: "Which apps received my location data last year? 去年哪些应用收到了我的位置信息？"
            .to_owned(),
        contact_email: None,
        verification: None,
        category: None,
        reaccess: None,
    };
    let key = format!("seed-demo-{id}");
    state
        .requests
        .intake(request, Some(&key), Some(&me), None)
        .await
        .map_err(into_anyhow)?;
    Ok(())
}

/// The password of every scale holder (`holder-N@scale.example`).
pub const SCALE_PASSWORD: &str = "scale-password-1";

/// Creates `count` further holders with realistic data volumes.
///
/// # Errors
/// When the database fails.
pub async fn seed_scale(data: &PersonalData, count: usize) -> anyhow::Result<Vec<uuid::Uuid>> {
    let hash = crate::accounts::hash_blocking(SCALE_PASSWORD.to_owned())
        .await
        .map_err(into_anyhow)?;
    data.seed_scale(count, &hash).await.map_err(into_anyhow)
}

/// Creates an account of any role with a password read by the caller.
///
/// # Errors
/// For an invalid e-mail or password, or an address already taken.
pub async fn create_user(
    accounts: &Accounts,
    email: &str,
    password: &str,
    role: Role,
    name: Option<&str>,
) -> anyhow::Result<uuid::Uuid> {
    let email = Email::parse(email).context("the e-mail address")?;
    let password = Password::parse(password).context("the password")?;
    let display_name =
        DisplayName::parse(name.unwrap_or(email.as_str().split('@').next().unwrap_or("user")))?;
    crate::accounts::refuse_guessable(&password, &[email.as_str(), display_name.as_str()])
        .map_err(|e| anyhow::anyhow!("the password: {}", e.message))?;
    let birth = BirthDate::parse("1990-01-01", time::macros::date!(2026 - 01 - 01))?;
    accounts
        .insert(
            email,
            &password,
            display_name,
            birth,
            AgeBand::Adult,
            role,
            Locale::En,
        )
        .await
        .map_err(into_anyhow)
}

fn into_anyhow(e: ServerError) -> anyhow::Error {
    match e {
        ServerError::Client(app) => anyhow::anyhow!("{}", app.message),
        ServerError::Internal(cause) => cause,
    }
}

/// The demo holder's earlier password (README: `demo-password-0`) and
/// registration method.
async fn seed_recovery_facts(state: &AppState, id: uuid::Uuid) -> anyhow::Result<()> {
    use crate::entities::{accounts, recovery::password_history};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let old = crate::accounts::hash_blocking(DEMO_OLD_PASSWORD.to_owned())
        .await
        .map_err(into_anyhow)?;
    let now = state.clock.now();
    accounts::ActiveModel {
        id: Set(id),
        registered_via: Set("mobile_app".to_owned()),
        ..Default::default()
    }
    .update(&state.db)
    .await?;
    password_history::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        account_id: Set(id),
        password_hash: Set(old),
        replaced_at: Set(now - time::Duration::days(200)),
    }
    .insert(&state.db)
    .await?;
    Ok(())
}

/// The demo holder's earlier password, which a re-access request may name.
pub const DEMO_OLD_PASSWORD: &str = "demo-password-0";
