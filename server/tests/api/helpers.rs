//! `spawn_app()`: the real application on port 0 with a fresh database and
//! the movable development clock, plus request helpers.

use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use server::{
    AppState, Application,
    config::{ClockMode, Config},
};
use std::sync::atomic::{AtomicUsize, Ordering};
use time::OffsetDateTime;

/// Where every test's clock starts. Tests may set it to any instant, past
/// or future ([`TestApp::set_clock`]).
pub const TEST_START: OffsetDateTime = time::macros::datetime!(2026-06-15 02:00:00 UTC);

/// Which database a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running application.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub state: AppState,
    pub database_url: String,
    last_holder: std::sync::Mutex<Option<TestUser>>,
    _data_dir: tempfile::TempDir,
}

/// Declares each listed `async fn(TestApp)` as two tests: `sqlite` and
/// `postgres` (the latter passes without running when `TEST_DATABASE_URL`
/// is unset, and says so).
#[macro_export]
macro_rules! on_every_backend {
    (without_jobs: $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app_with(
                    $crate::helpers::Backend::Sqlite, false,
                ).await.expect("app starts");
                super::$name(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if std::env::var("TEST_DATABASE_URL").is_err() {
                    eprintln!("TEST_DATABASE_URL unset: PostgreSQL variant not run");
                    return;
                }
                let app = $crate::helpers::spawn_app_with(
                    $crate::helpers::Backend::Postgres, false,
                ).await.expect("app starts");
                super::$name(app).await;
            }
        }
    )+};
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.expect("app starts");
                super::$name(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if std::env::var("TEST_DATABASE_URL").is_err() {
                    eprintln!("TEST_DATABASE_URL unset: PostgreSQL variant not run");
                    return;
                }
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await.expect("app starts");
                super::$name(app).await;
            }
        }
    )+};
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);
static CLEANUP: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

/// A fresh PostgreSQL database for one test; databases left by earlier runs
/// (other process IDs) are dropped first.
async fn fresh_postgres_database(admin_url: &str) -> anyhow::Result<String> {
    let admin = Database::connect(admin_url).await?;
    let pid = std::process::id();
    CLEANUP
        .get_or_init(|| async {
            let rows = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'",
                ))
                .await
                .unwrap_or_default();
            for row in rows {
                let Ok(name) = row.try_get::<String>("", "datname") else {
                    continue;
                };
                if !name.starts_with(&format!("portal_test_{pid}_")) {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                }
            }
        })
        .await;
    let name = format!(
        "portal_test_{pid}_{}",
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("TEST_DATABASE_URL has no database name"))?;
    Ok(format!("{base}/{name}"))
}

/// Starts the application with a fresh database and a development clock.
pub async fn spawn_app(backend: Backend) -> anyhow::Result<TestApp> {
    spawn_app_with(backend, true).await
}

/// As [`spawn_app`]; without its background jobs when a test drives a job
/// itself.
pub async fn spawn_app_with(backend: Backend, background_jobs: bool) -> anyhow::Result<TestApp> {
    spawn_app_configured(backend, |config| config.background_jobs = background_jobs).await
}

/// As [`spawn_app`], with settings changed by `configure`.
pub async fn spawn_app_configured(
    backend: Backend,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<TestApp> {
    if std::env::var("TEST_LOG").is_ok() {
        server::telemetry::init("info");
    }
    let data_dir = tempfile::tempdir()?;
    let database_url = match backend {
        Backend::Sqlite => format!(
            "sqlite://{}?mode=rwc",
            data_dir.path().join("portal.db").display()
        ),
        Backend::Postgres => fresh_postgres_database(&std::env::var("TEST_DATABASE_URL")?).await?,
    };
    // Every test runs on its own clock from a fixed instant, never today's
    // date: the suite passes whatever the machine's clock says.
    let mut config = Config::local(data_dir.path(), database_url, ClockMode::Test(TEST_START));
    configure(&mut config);
    let database_url = config.database_url.clone();
    let app = Application::build(config).await?;
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(TestApp {
        address,
        client,
        state,
        database_url,
        last_holder: std::sync::Mutex::new(None),
        _data_dir: data_dir,
    })
}

/// A holder that signs up with a fresh address.
pub struct TestUser {
    pub email: String,
    pub password: String,
}

impl TestUser {
    pub fn generate() -> Self {
        TestUser {
            email: format!("{}@example.com", uuid::Uuid::new_v4().simple()),
            password: "correct-horse-battery".into(),
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_with_token(&self, path: &str, token: &str) -> Response {
        reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_with_token(&self, path: &str, token: &str, body: &Value) -> Response {
        reqwest::Client::new()
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Starts a sign-up (202 for any valid form).
    pub async fn start_sign_up(&self, user: &TestUser) -> Response {
        self.post_json(
            "/api/v1/auth/signup",
            &json!({"email": user.email, "password": user.password, "display_name": "Test 测试", "birth_date": "1990-05-17"}),
        )
        .await
    }

    /// The e-mails queued for an address, oldest first: (subject, body).
    pub async fn mails_to(&self, email: &str) -> Vec<(String, String)> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        use server::entities::email_outbox;
        email_outbox::Entity::find()
            .filter(email_outbox::Column::ToEmail.eq(email.to_lowercase()))
            .order_by_asc(email_outbox::Column::CreatedAt)
            .all(&self.state.db)
            .await
            .expect("outbox")
            .into_iter()
            .map(|m| (m.subject, m.body))
            .collect()
    }

    /// The token of the newest sign-up link mailed to `email`, as a person
    /// would read it from the message.
    pub async fn sign_up_token(&self, email: &str) -> Option<String> {
        self.link_token(email, "/verify-email").await
    }

    /// The token of the newest link to `path` mailed to `email`, as a
    /// person would read it from the message.
    pub async fn link_token(&self, email: &str, path: &str) -> Option<String> {
        let marker = format!("{path}?token=");
        self.mails_to(email)
            .await
            .iter()
            .rev()
            .find_map(|(_, body)| {
                let start = body.find(&marker)? + marker.len();
                Some(
                    body[start..]
                        .chars()
                        .take_while(char::is_ascii_hexdigit)
                        .collect(),
                )
            })
    }

    /// Finishes a sign-up with a link's token.
    /// Its own client: the session cookie it sets stays out of `client`.
    pub async fn verify_email(&self, token: &str) -> Response {
        Client::new()
            .post(self.url("/api/v1/auth/verify-email"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .expect("request sent")
    }

    /// Signs up as a person does: the form, then the e-mailed link. The
    /// answer is the link's (201 with the new account), or the form's when
    /// it was refused.
    pub async fn sign_up(&self, user: &TestUser) -> Response {
        let started = self.start_sign_up(user).await;
        if started.status() != StatusCode::ACCEPTED {
            return started;
        }
        let token = self
            .sign_up_token(&user.email)
            .await
            .expect("a sign-up link was mailed");
        self.verify_email(&token).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs up a fresh holder and returns its bearer token.
    pub async fn holder_token(&self) -> String {
        let user = TestUser::generate();
        assert_eq!(self.sign_up(&user).await.status(), StatusCode::CREATED);
        let token = self.token_for(&user.email, &user.password).await;
        *self.last_holder.lock().expect("lock") = Some(user);
        token
    }

    /// The e-mail address of the holder `holder_token` created last.
    pub fn last_holder_email(&self) -> String {
        self.last_holder
            .lock()
            .expect("lock")
            .as_ref()
            .map(|u| u.email.clone())
            .expect("a holder")
    }

    /// A fresh token for the holder `holder_token` created last (after the
    /// clock moved past the first token's lifetime).
    pub async fn token_for_existing_holder(&self) -> String {
        let user = self
            .last_holder
            .lock()
            .expect("lock")
            .as_ref()
            .map(|u| (u.email.clone(), u.password.clone()))
            .expect("a holder");
        self.token_for(&user.0, &user.1).await
    }

    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {email}");
        body(response).await["token"]
            .as_str()
            .expect("token in body")
            .to_owned()
    }

    /// Creates the demo holder's data (every category) and returns their token.
    pub async fn demo_holder_with_data(&self) -> String {
        server::commands::seed_demo(&self.state)
            .await
            .expect("seeded");
        self.demo_token("holder").await
    }

    /// Creates the demo accounts (without data) and returns a token of the
    /// given demo role.
    pub async fn demo_token(&self, role: &str) -> String {
        server::commands::seed_demo_accounts(&self.state)
            .await
            .expect("seeded");
        let (email, password) = match role {
            "officer" => ("officer@example.com", "officer-password-1"),
            "admin" => ("admin@example.com", "admin-password-1"),
            _ => ("demo@example.com", "demo-password-1"),
        };
        self.token_for(email, password).await
    }

    /// The test's data directory (signing and audit keys, checkpoint, mail).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// Moves the test's clock by `seconds`.
    pub fn advance_clock(&self, seconds: i64) -> OffsetDateTime {
        self.state
            .dev_clock
            .as_ref()
            .expect("tests run their own clock")
            .advance(seconds)
            .expect("within range")
    }

    /// Sets the test's clock to an RFC 3339 instant, past or future.
    pub fn set_clock(&self, instant: &str) -> OffsetDateTime {
        let to = OffsetDateTime::parse(instant, &time::format_description::well_known::Rfc3339)
            .expect("RFC 3339 instant");
        self.state
            .dev_clock
            .as_ref()
            .expect("tests run their own clock")
            .set(to)
            .expect("within range")
    }
}

/// The JSON body of a response.
pub async fn body(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// Asserts an error answer: status, code, and field.
pub async fn assert_error(response: Response, status: u16, code: &str, field: Option<&str>) {
    assert_eq!(response.status().as_u16(), status, "status for {code}");
    let body = body(response).await;
    assert_eq!(body["error"]["code"], code, "body {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "message in {body}"
    );
    assert_eq!(body["error"]["field"].as_str(), field, "field in {body}");
}
