//! Settings, read once at start from the environment (and `.env` when
//! present) into one typed struct, with the defaults of DESIGN §10. A bad
//! value stops the start with a message that names the variable.

use anyhow::{Context, bail};
use secrecy::SecretString;
use std::{net::SocketAddr, path::PathBuf};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// How the clock runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClockMode {
    /// Real time (production).
    System,
    /// Real time plus a movable offset, starting now or at an instant; moves
    /// forward only (`PORTAL_DEV_CLOCK`).
    Dev(Option<OffsetDateTime>),
    /// A test's own clock: starts at the instant and may be set anywhere.
    /// Only code sets this (no environment variable can).
    Test(OffsetDateTime),
}

/// Every setting of the server.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: where the built wasm, JS and CSS are.
    pub site_root: PathBuf,
    /// `PORTAL_DATA_DIR`: exports and generated secrets.
    pub data_dir: PathBuf,
    /// `PORTAL_JWT_SECRET`, or `None` to use (and create) `<data>/jwt-secret`.
    pub jwt_secret: Option<SecretString>,
    /// `PORTAL_AUDIT_KEY`, or `None` to use (and create) `<data>/audit-key`.
    pub audit_key: Option<SecretString>,
    /// `PORTAL_TIMEZONE`, an IANA zone name.
    pub timezone: String,
    /// `PORTAL_DEV_CLOCK`.
    pub clock: ClockMode,
    /// `PORTAL_PUBLIC_URL`: the portal's address as people reach it (for
    /// links in e-mails), or `None` for `http://` and the bound address.
    pub public_url: Option<String>,
    /// `PORTAL_COOKIE_SECURE`: mark cookies `Secure` (set it behind HTTPS).
    pub cookie_secure: bool,
    /// `PORTAL_STATIC_ORIGIN`: the origin of the static build (Trunk.toml)
    /// that may call the server functions and the API with the session
    /// cookie (CORS with credentials, and the state-changing requests'
    /// `Origin` check), or `None` to allow no other origin.
    pub static_origin: Option<String>,
    /// Run the background jobs (deadline sweeper, e-mail sender) while
    /// serving. Always on in the binary; tests of a job turn it off so that
    /// they alone drive it.
    pub background_jobs: bool,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads the environment (after loading `.env` if there is one).
    ///
    /// # Errors
    /// When a variable holds a value that cannot be used.
    pub fn from_env() -> anyhow::Result<Config> {
        let _ = dotenvy::dotenv();
        let data_dir = PathBuf::from(var("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("portal.db").display())
        });
        let site_addr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("LEPTOS_SITE_ADDR must be an address such as 127.0.0.1:3000")?;
        let site_root =
            PathBuf::from(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let jwt_secret = match var("PORTAL_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                bail!(
                    "PORTAL_JWT_SECRET must have at least 32 characters (256 bits, RFC 7518 §3.2)"
                )
            }
            other => other.map(SecretString::from),
        };
        let audit_key = match var("PORTAL_AUDIT_KEY") {
            Some(s) if s.len() < 32 => {
                bail!("PORTAL_AUDIT_KEY must have at least 32 characters (256 bits)")
            }
            other => other.map(SecretString::from),
        };
        let timezone = var("PORTAL_TIMEZONE").unwrap_or_else(|| "Asia/Shanghai".into());
        let clock = parse_clock(var("PORTAL_DEV_CLOCK").as_deref())?;
        let public_url = match var("PORTAL_PUBLIC_URL") {
            Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
                bail!("PORTAL_PUBLIC_URL must start with https:// (or http://), not {url:?}")
            }
            other => other,
        };
        let cookie_secure = var("PORTAL_COOKIE_SECURE").is_some_and(|v| v == "1" || v == "true");
        let static_origin = var("PORTAL_STATIC_ORIGIN")
            .map(|v| parse_origin(&v))
            .transpose()
            .context("PORTAL_STATIC_ORIGIN")?;
        Ok(Config {
            database_url,
            site_addr,
            site_root,
            data_dir,
            jwt_secret,
            audit_key,
            timezone,
            clock,
            public_url,
            cookie_secure,
            static_origin,
            background_jobs: true,
        })
    }
}

impl Config {
    /// A throwaway instance for tests and benchmarks: everything in `data_dir`
    /// (or at `database_url`), a free port on loopback, no built site.
    #[must_use]
    pub fn local(data_dir: &std::path::Path, database_url: String, clock: ClockMode) -> Config {
        Config {
            database_url,
            site_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: data_dir.join("site"),
            data_dir: data_dir.to_path_buf(),
            jwt_secret: None,
            audit_key: None,
            timezone: "Asia/Shanghai".into(),
            clock,
            public_url: None,
            cookie_secure: false,
            static_origin: None,
            background_jobs: true,
        }
    }
}

/// `PORTAL_DEV_CLOCK`: unset or `0` for real time, `1` for a movable clock
/// starting now, an RFC 3339 instant for one starting there.
///
/// # Errors
/// For any other value.
pub fn parse_clock(raw: Option<&str>) -> anyhow::Result<ClockMode> {
    match raw.map(str::trim) {
        None | Some("" | "0" | "false") => Ok(ClockMode::System),
        Some("1" | "true") => Ok(ClockMode::Dev(None)),
        Some(instant) => OffsetDateTime::parse(instant, &Rfc3339)
            .map(|t| ClockMode::Dev(Some(t)))
            .with_context(|| {
                format!("PORTAL_DEV_CLOCK must be 1 or an RFC 3339 instant, not {instant:?}")
            }),
    }
}

/// One web origin, as a browser sends it in `Origin`: `http` or `https`, a
/// host and maybe a port, nothing after (a trailing `/` is dropped).
///
/// # Errors
/// When the value is not such an origin (a wildcard, a path, a query, …).
pub fn parse_origin(value: &str) -> anyhow::Result<String> {
    let origin = value.trim().trim_end_matches('/');
    let Some((scheme, authority)) = origin.split_once("://") else {
        bail!("must be an origin such as https://app.example.com, not {value:?}");
    };
    let well_formed = matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !well_formed {
        bail!(
            "must be one origin such as https://app.example.com (scheme, host and port only; no wildcard, path or query), not {value:?}"
        );
    }
    Ok(origin.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_clock_settings() {
        assert_eq!(parse_clock(None).ok(), Some(ClockMode::System));
        assert_eq!(parse_clock(Some("0")).ok(), Some(ClockMode::System));
        assert_eq!(parse_clock(Some("1")).ok(), Some(ClockMode::Dev(None)));
        assert_eq!(
            parse_clock(Some("2027-01-31T15:30:00Z")).ok(),
            Some(ClockMode::Dev(Some(
                time::macros::datetime!(2027-01-31 15:30:00 UTC)
            )))
        );
        assert!(parse_clock(Some("yesterday")).is_err());
    }

    #[test]
    fn static_origins() {
        for (value, origin) in [
            ("https://app.example.com", "https://app.example.com"),
            ("https://App.Example.com/", "https://app.example.com"),
            ("http://127.0.0.1:3220", "http://127.0.0.1:3220"),
            (" http://[::1]:8080 ", "http://[::1]:8080"),
        ] {
            assert_eq!(parse_origin(value).ok().as_deref(), Some(origin), "{value}");
        }
        for value in [
            "*",
            "app.example.com",
            "ftp://app.example.com",
            "https://",
            "https://app.example.com/portal",
            "https://app.example.com?x=1",
            "https://*.example.com",
            "https://a.example.com, https://b.example.com",
            "null",
        ] {
            assert!(parse_origin(value).is_err(), "{value} was taken");
        }
    }
}
