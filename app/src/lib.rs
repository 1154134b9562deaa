//! The portal's Leptos application: the HTML shell, the router, the pages for
//! holders, officers and administrators, the translations, and the server
//! functions with the ports their server-side bodies call.

// Built without `erase_components` (a plain `cargo build`, clippy), the
// views' types nest deeper than rustc's default query depth ("queries
// overflow the depth limit"); cargo-leptos builds erase them (Cargo.toml).
#![recursion_limit = "512"]

pub mod auth;
pub mod cancellation;
pub mod components;
pub mod consents;
pub mod data;
pub mod error;
pub mod exports;
pub mod i18n;
pub mod incidents;
pub mod pages;
pub mod requests;
pub mod routes;
pub mod transport;

use crate::auth::{Me, SetLocale, SignIn, SignOut, SignUp, VerifyEmail, current_user};
use crate::error::AppError;
use domain::Locale;
use leptos::prelude::*;
use leptos_meta::{Html, Meta, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{A, Route, Router, Routes},
    path,
};

/// The name of the cookie that remembers the language.
pub const LOCALE_COOKIE: &str = "portal_locale";

/// The `Set-Cookie` value that remembers a language for a year.
#[must_use]
pub fn locale_cookie(locale: Locale) -> String {
    format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.tag()
    )
}

/// The first script of every server-rendered page, before the wasm loads:
/// lets a page survive a dropped connection while its area loads. The split
/// loader (`#[leptos::lazy]`, wasm_split) fetches an area's file once, with
/// the global `fetch` and a URL under `/pkg/`, and panics when that fails:
/// the page then stays without wasm (its forms post as plain HTML forms).
/// This `fetch` tries such a plain GET again after a network error or an
/// answer that is not 2xx, up to 3 times, 250, 500 and 1000 ms apart (a
/// connection lost on a phone, a deploy in the middle of a visit; CI once saw
/// 404s for files that were there, since mended in `server::startup`:
/// docs/NOTES.md, session 20). Every other call (the server functions'
/// POSTs, a call with options or a `Request`) goes to the browser's `fetch`
/// untouched: nothing else is ever sent twice.
///
/// Plain JavaScript rather than Rust: written in the wasm (`frontend`), the
/// same wrapper pulled code shared with the areas into the main file
/// (476 → 527 KB gzip).
const SPLIT_FETCH_RETRY: &str = include_str!("js/split_fetch_retry.js");

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <script nonce=leptos::nonce::use_nonce() inner_html=SPLIT_FETCH_RETRY></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sends a Content-Security-Policy with this response's nonce: only our own
/// scripts (and the inline hydration scripts Leptos marks with the nonce) run,
/// no inline styles, no framing, forms post only to us.
fn content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = http::HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Whether the whole page is live: set by the entry point (`frontend`) once
/// hydration has finished, the lazily loaded area of the page included.
#[cfg(feature = "browser")]
static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks the page live: called by the entry point after `hydrate_from_async`
/// has finished (or after mounting, in the client-rendered build). The
/// `data-hydrated` mark on `<body>` is what the end-to-end tests wait for
/// before they click. An effect of the root component would run too early:
/// while the page's area is still loading, only the shell has hydrated.
#[cfg(feature = "browser")]
pub fn mark_hydrated() {
    HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Whether [`mark_hydrated`] has run. Until it has, a text the server rendered
/// and hydration has not yet reached would not follow a change of language, so
/// the language switch posts its form instead (the page comes back in the
/// other language).
#[must_use]
pub fn hydrated() -> bool {
    #[cfg(feature = "browser")]
    {
        HYDRATED.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(feature = "browser"))]
    {
        false
    }
}

/// The session state every page can read: the signed-in person, and the
/// actions that change who that is.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in person, refetched after every sign-in, sign-up or sign-out.
    pub user: Resource<Result<Option<Me>, AppError>>,
    /// Sign in.
    pub sign_in: ServerAction<SignIn>,
    /// Start a sign-up (the account comes with the e-mail link).
    pub sign_up: ServerAction<SignUp>,
    /// Finish a sign-up from its e-mail link.
    pub verify_email: ServerAction<VerifyEmail>,
    /// Sign out.
    pub sign_out: ServerAction<SignOut>,
    /// Change language.
    pub set_locale: ServerAction<SetLocale>,
    /// Accept the privacy-policy version in force (the banner every page
    /// shows until then goes with it).
    pub accept_policy: ServerAction<consents::AcceptPolicy>,
    /// Cancel the account (every page then counts down).
    pub cancel_account: ServerAction<cancellation::CancelAccount>,
    /// Undo the cancellation.
    pub undo_cancellation: ServerAction<cancellation::UndoCancellation>,
}

/// The session state provided by [`App`].
#[must_use]
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// The language of this page view: on the server from the cookie or
/// `Accept-Language`; in the browser from what the server rendered.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>();
        let headers = parts.as_ref().map(|p| &p.headers);
        let from_cookie = headers
            .and_then(|h| h.get(http::header::COOKIE))
            .and_then(|v| v.to_str().ok())
            .and_then(locale_from_cookies);
        let from_header = || {
            headers
                .and_then(|h| h.get(http::header::ACCEPT_LANGUAGE))
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        };
        from_cookie.or_else(from_header).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let rendered = document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| Locale::from_tag(&lang));
        // The static build's page was not rendered for anyone: the language
        // remembered in this browser, else the browser's own.
        #[cfg(feature = "csr")]
        let rendered = rendered.or_else(|| {
            use wasm_bindgen::JsCast;
            document()
                .dyn_into::<web_sys::HtmlDocument>()
                .ok()
                .and_then(|html| html.cookie().ok())
                .and_then(|cookies| locale_from_cookies(&cookies))
                .or_else(|| {
                    window()
                        .navigator()
                        .language()
                        .and_then(|tag| Locale::from_accept_language(&tag))
                })
        });
        rendered.unwrap_or_default()
    }
}

/// The language a `Cookie` header (or `document.cookie`) remembers.
#[cfg_attr(not(any(feature = "ssr", feature = "csr")), allow(dead_code))]
fn locale_from_cookies(cookies: &str) -> Option<Locale> {
    cookies.split(';').find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == LOCALE_COOKIE)
            .then(|| Locale::from_tag(value))
            .flatten()
    })
}

/// The application: providers, header, routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = RwSignal::new(initial_locale());
    provide_context(locale);

    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let verify_email = ServerAction::<VerifyEmail>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let set_locale = ServerAction::<SetLocale>::new();
    let accept_policy = ServerAction::<consents::AcceptPolicy>::new();
    let cancel_account = ServerAction::<cancellation::CancelAccount>::new();
    let undo_cancellation = ServerAction::<cancellation::UndoCancellation>::new();
    let user = Resource::new_blocking(
        move || {
            (
                sign_in.version().get(),
                verify_email.version().get(),
                sign_out.version().get(),
                accept_policy.version().get(),
                cancel_account.version().get(),
                undo_cancellation.version().get(),
            )
        },
        |_| current_user(),
    );
    provide_context(Auth {
        user,
        sign_in,
        sign_up,
        verify_email,
        sign_out,
        set_locale,
        accept_policy,
        cancel_account,
        undo_cancellation,
    });

    // The new language shows as soon as the switch is pressed; the server
    // function only has to remember it.
    Effect::new(move |_| {
        if let Some(SetLocale { locale: chosen }) = set_locale.input().get() {
            locale.set(chosen);
            // Remembered at once, even if the page is left before the server answers.
            #[cfg(feature = "browser")]
            {
                use wasm_bindgen::JsCast;
                if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
                    let _ = html.set_cookie(&locale_cookie(chosen));
                }
            }
        }
    });

    let texts = i18n::use_texts();
    // Read once on the server, where `<head>` is written after the body's
    // first chunk (see `components::page_title`).
    #[cfg(feature = "ssr")]
    let (description, lang) = untrack(|| (texts.get().landing_intro, locale.get().tag()));
    #[cfg(not(feature = "ssr"))]
    let (description, lang) = (
        move || texts.get().landing_intro,
        move || locale.get().tag(),
    );
    // The static build's index.html links its own (hashed) copy.
    let stylesheet = (!cfg!(feature = "csr"))
        .then(|| view! { <Stylesheet id="leptos" href="/pkg/portal.css"/> });
    view! {
        <Html {..} lang=lang/>
        {stylesheet}
        <Meta name="description" content=description/>
        <Router>
            <a class="skip-link" href="#main">{move || texts.get().skip_to_content}</a>
            <components::Header/>
            <components::PolicyBanner/>
            <components::CancellationBanner/>
            <pages::IncidentBanner/>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::NotFoundPage>
                    <Route path=path!("/") view=pages::LandingPage/>
                    <Route path=path!("/signup") view={Lazy::<routes::SignUpRoute>::new()}/>
                    <Route path=path!("/signup/sent") view={Lazy::<routes::SignUpSentRoute>::new()}/>
                    <Route path=path!("/verify-email") view={Lazy::<routes::VerifyEmailRoute>::new()}/>
                    <Route path=path!("/login") view={Lazy::<routes::SignInRoute>::new()}/>
                    <Route path=path!("/forgot") view={Lazy::<routes::ForgotPasswordRoute>::new()}/>
                    <Route path=path!("/forgot/sent") view={Lazy::<routes::ForgotSentRoute>::new()}/>
                    <Route path=path!("/reset-password") view={Lazy::<routes::ResetPasswordRoute>::new()}/>
                    <Route path=path!("/reaccess") view={Lazy::<routes::ReaccessRoute>::new()}/>
                    <Route path=path!("/reaccess/stop") view={Lazy::<routes::StopReaccessRoute>::new()}/>
                    <Route path=path!("/deadlines") view={Lazy::<routes::DeadlinesRoute>::new()}/>
                    <Route path=path!("/requests/new") view={Lazy::<routes::FileRequestRoute>::new()}/>
                    <Route path=path!("/track") view={Lazy::<routes::TrackRoute>::new()}/>
                    <Route path=path!("/inbox") view={Lazy::<routes::InboxRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/requests") view={Lazy::<routes::MyRequestsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/officer/register") view={Lazy::<routes::RegisterRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/officer/requests/:ack") view={Lazy::<routes::OfficerRequestRoute>::new()} ssr=SsrMode::Async/>
                    // Gated pages render whole before the first byte, so that
                    // a refusal can answer 401 or 403 (set while rendering).
                    <Route path=path!("/home") view={Lazy::<routes::HolderHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/data") view={Lazy::<routes::DataOverviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consents") view={Lazy::<routes::ConsentsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/exports") view={Lazy::<routes::ExportsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/cancel") view={Lazy::<routes::CancelAccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/privacy-policy") view={Lazy::<routes::PrivacyPolicyRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/guardian") view={Lazy::<routes::GuardianRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/data/:category") view={Lazy::<routes::DataCategoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/officer") view={Lazy::<routes::OfficerHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<routes::AdminHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/policies") view={Lazy::<routes::PoliciesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view={Lazy::<routes::AuditRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/holds") view={Lazy::<routes::HoldsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/incidents") view={Lazy::<routes::IncidentsRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || texts.get().footer} " "
                    <A href="/privacy-policy">{move || texts.get().term("privacy_policy_title")}</A>
                </p>
            </footer>
        </Router>
    }
}
