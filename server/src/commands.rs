//! The admin sub-commands of `portal` (DESIGN §10).

use crate::accounts::Accounts;
use crate::errors::ServerError;
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

/// Creates the demo accounts that do not exist yet; running it twice changes
/// nothing. Returns how many were created.
///
/// # Errors
/// When the database fails.
pub async fn seed_demo(accounts: &Accounts) -> anyhow::Result<usize> {
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
