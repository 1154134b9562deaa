//! Building blocks shared by the pages: the header, form fields with their
//! errors, the role gate and the card grid.

use crate::auth::{Me, home_path};
use crate::error::AppError;
use crate::i18n::{RightText, Texts, use_locale, use_texts};
use crate::use_auth;
use domain::{Locale, Role};
use leptos::{either::EitherOf3, html::Input, oco::Oco, prelude::*};
use leptos_meta::Title;
use leptos_router::components::A;

/// The site header: name, navigation, language switch, session.
#[component]
pub fn Header() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let session = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(me)) => {
                    let label = (texts.get().signed_in_as)(
                        &me.display_name,
                        texts.get().role_name(me.role),
                    );
                    view! {
                        <li><A href=home_path(me.role)>{label}</A></li>
                        <li>
                            <ActionForm action=auth.sign_out attr:class="inline-form">
                                <button type="submit" class="link-button" data-testid="sign-out">
                                    {move || texts.get().sign_out}
                                </button>
                            </ActionForm>
                        </li>
                    }
                    .into_any()
                }
                _ => view! {
                    <li><A href="/login">{move || texts.get().sign_in}</A></li>
                    <li><A href="/signup">{move || texts.get().sign_up}</A></li>
                }
                .into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">{move || texts.get().app_name}</A>
            <nav aria-label=move || texts.get().nav_label>
                <ul class="nav-list">
                    <li><A href="/deadlines">{move || texts.get().deadlines_nav}</A></li>
                    <Transition fallback=|| ()>{session}</Transition>
                    <li><LanguageSwitch/></li>
                </ul>
            </nav>
        </header>
    }
}

/// Under the header of every page, for a holder who has not accepted the
/// privacy-policy version in force: what to do about it (guideline §7).
#[component]
pub fn PolicyBanner() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let pending = auth.user.await.ok().flatten().and_then(|me| me.pending_policy);
                pending.map(|version| view! {
                    <aside class="policy-banner" role="status" data-testid="policy-banner">
                        <p>
                            {move || texts.get().new_policy(&version)} " "
                            <A href="/privacy-policy">{move || texts.get().term("read_and_accept")}</A>
                        </p>
                    </aside>
                })
            })}
        </Transition>
    }
}

/// Under the header of every page while the account is being cancelled:
/// when it will be erased, how many days are left, and undo.
#[component]
pub fn CancellationBanner() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let undo = auth.undo_cancellation;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let pending = auth.user.await.ok().flatten().and_then(|me| me.cancellation);
                pending.map(|c| {
                    let when = crate::pages::local_instant(&c.effective_at);
                    let left = c.days_left;
                    view! {
                        <aside class="cancel-banner" role="status" data-testid="cancel-banner" data-days-left=left.to_string()>
                            <p>
                                {move || texts.get().cancel_banner(&when, left)} " "
                                <A href="/account/cancel">{move || texts.get().term("cancel_details")}</A>
                            </p>
                            <button type="button" class="button secondary" data-testid="cancel-banner-undo"
                                disabled=move || undo.pending().get()
                                on:click=move |_| { undo.dispatch(crate::cancellation::UndoCancellation {}); }>
                                {move || texts.get().term("cancel_undo")}
                            </button>
                        </aside>
                    }
                })
            })}
        </Transition>
    }
}

/// Switches between the two languages. Before the page has hydrated it is a
/// plain form post that sets the cookie and brings the page back in the
/// other language; after, it re-renders at once. Pressed while the page's
/// area is still hydrating it posts too: hydration keeps the text the server
/// rendered, so a part hydrated after the change would stay in the old
/// language (`crate::hydrated`).
#[component]
fn LanguageSwitch() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let locale = use_locale();
    let texts = use_texts();
    let action = use_auth().set_locale;
    let other = move || match locale.get() {
        Locale::En => Locale::Zh,
        Locale::Zh => Locale::En,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if crate::hydrated() {
            ev.prevent_default();
            action.dispatch(crate::auth::SetLocale { locale: other() });
        }
    };
    view! {
        <form action=crate::auth::SetLocale::url() method="post" class="inline-form" on:submit=on_submit>
            <input type="hidden" name="locale" value=move || other().tag()/>
            <button
                type="submit"
                class="lang-switch"
                lang=move || other().tag()
                aria-label=move || texts.get().switch_language_label
                data-testid="language-switch"
            >
                {move || texts.get().switch_language}
            </button>
        </form>
    }
}

/// The error text of a field: the client's own check first, then the server's.
pub fn field_error(
    field: &'static str,
    client: RwSignal<Vec<(&'static str, &'static str)>>,
    server: Signal<Option<AppError>>,
) -> Signal<Option<String>> {
    let texts = use_texts();
    Signal::derive(move || {
        let texts = texts.get();
        if let Some((_, code)) = client.get().iter().find(|(f, _)| *f == field) {
            return Some(texts.error(code).unwrap_or(code).to_owned());
        }
        server
            .get()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| error_text(texts, &e))
    })
}

/// The server's error about one field, translated (for forms without
/// client-side checks).
pub fn server_field_error(
    field: &'static str,
    server: Signal<Option<AppError>>,
) -> Signal<Option<String>> {
    let texts = use_texts();
    Signal::derive(move || {
        server
            .get()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| error_text(texts.get(), &e))
    })
}

/// The translated text of an error, or its message when the UI has no translation.
#[must_use]
pub fn error_text(texts: &Texts, error: &AppError) -> String {
    match texts.error(&error.code) {
        // A legal hold's reason is the administrator's words: kept after
        // the sentence in the person's language.
        Some(text) if error.code == "account_frozen" => {
            match error.message.split_once("Reason: ") {
                Some((_, reason)) => format!("{text}{reason}"),
                None => text.trim_end().to_owned(),
            }
        }
        // When a held re-access link opens, in the operator's wall time.
        Some(text) if error.code == "link_not_open" => {
            match error
                .message
                .split_once("opens at ")
                .and_then(|(_, rest)| rest.split_once(' '))
            {
                Some((instant, _)) => format!("{text} {}", crate::pages::local_instant(instant)),
                None => text.to_owned(),
            }
        }
        Some(text) => text.to_owned(),
        None => error.message.clone(),
    }
}

/// An error that belongs to no field, in the person's language.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let texts = use_texts();
    view! { <p class="form-alert" role="alert">{move || error_text(texts.get(), &error)}</p> }
}

/// A labelled input with its hint and its error next to it.
#[component]
pub fn Field(
    /// The form field name (and the input's `id`).
    name: &'static str,
    /// The label text.
    label: Signal<&'static str>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// The error to show, if any.
    error: Signal<Option<String>>,
    /// The input element, for reading its value.
    node_ref: NodeRef<Input>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=name>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get()}</p> })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                node_ref=node_ref
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id role="alert" data-testid=format!("{name}-error")>
                {move || error.get()}
            </p>
        </div>
    }
}

/// Renders `page` for a signed-in person whose role is in `allowed`; anyone
/// else sees why not (and the response carries 401 or 403).
#[component]
pub fn RequireRole(
    /// The roles that may see the page.
    allowed: &'static [Role],
    /// The page for the signed-in person.
    page: fn(Me) -> AnyView,
) -> impl IntoView {
    let auth = use_auth();
    let texts = use_texts();
    let body = move || {
        Suspend::new(async move {
            let me = auth.user.await;
            // On the server this closure runs three times per response: the
            // Transition walks its children before and after the signed-in
            // person loads, to find the resources they read, and once more
            // to render. The second walk already has the person, so `page`
            // ran there too: every page created its resources twice, ran
            // their database queries twice and sent both copies to the
            // browser. A walk polls once and goes no further than what is
            // ready, so one pending step here keeps `page` to the render.
            // The pages read their resources inside boundaries of their own.
            #[cfg(feature = "ssr")]
            PendingOnce::default().await;
            match me {
                Ok(Some(me)) if allowed.contains(&me.role) => EitherOf3::A(page(me)),
                Ok(Some(_)) => {
                    set_status(403);
                    EitherOf3::B(view! {
                        <Title text=crate::components::page_title(move || texts.get().denied_title)/>
                        <section class="notice-page" data-testid="access-denied">
                            <h1>{move || texts.get().denied_title}</h1>
                            <p>{move || texts.get().denied_body}</p>
                        </section>
                    })
                }
                _ => {
                    set_status(401);
                    EitherOf3::C(view! {
                        <Title text=crate::components::page_title(move || texts.get().signed_out_title)/>
                        <section class="notice-page" data-testid="sign-in-required">
                            <h1>{move || texts.get().signed_out_title}</h1>
                            <p>{move || texts.get().signed_out_body}</p>
                            <p><A href="/login" attr:class="button">{move || texts.get().sign_in}</A></p>
                        </section>
                    })
                }
            }
        })
    };
    // A Transition: when the signed-in person is fetched again (after
    // accepting a policy, cancelling or undoing), the page stays as it is
    // until the new answer is in, instead of suspending (a Suspense here left
    // "Loading…" above a page that never resolved again).
    view! { <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>{body}</Transition> }
}

/// A future that is pending the first time it is polled (waking itself) and
/// ready the second: a walk of the view tree, which polls once, stops at it.
#[cfg(feature = "ssr")]
#[derive(Default)]
pub(crate) struct PendingOnce(bool);

#[cfg(feature = "ssr")]
impl std::future::Future for PendingOnce {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// Sets the HTTP status of a server-rendered page.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// The page of a card, once it exists.
fn page_of(key: &str) -> Option<&'static str> {
    match key {
        "requests" => Some("/requests"),
        "data" | "delete" => Some("/data"),
        "correct" => Some("/data/profile"),
        "settings" => Some("/data/settings"),
        "policies" => Some("/admin/policies"),
        "audit" => Some("/admin/audit"),
        "holds" => Some("/admin/holds"),
        "notices" => Some("/admin/incidents"),
        "notifications" => Some("/inbox"),
        "complaints" => Some("/requests/new"),
        "consents" => Some("/consents"),
        "cancel" => Some("/account/cancel"),
        "export" => Some("/exports"),
        "consent-history" => Some("/consents#history"),
        "register" | "due-soon" | "overdue" | "metrics" => Some("/officer/register"),
        _ => None,
    }
}

/// A grid of cards, one per right or task; `Coming soon` until its page exists.
#[component]
pub fn CardGrid(items: Signal<&'static [RightText]>) -> impl IntoView {
    let texts = use_texts();
    view! {
        <ul class="card-grid">
            {move || {
                items
                    .get()
                    .iter()
                    .map(|item| {
                        let href = page_of(item.key);
                        view! {
                            <li class="card" data-testid=format!("card-{}", item.key)>
                                <h2>
                                    {match href {
                                        Some(href) => view! { <A href=href>{item.title}</A> }.into_any(),
                                        None => item.title.into_any(),
                                    }}
                                </h2>
                                <p>{item.summary}</p>
                                {href.is_none().then(|| view! { <p class="badge">{move || texts.get().coming_soon}</p> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// A page's `<Title>`: the page's name, then the portal's ("Your data ·
/// Privacy Rights Portal"; the portal's alone when `page` is empty).
///
/// On the server the text is read once, as the page renders, and the title
/// holds a string: the server writes `<head>` after the body's first chunk,
/// from every `<Title>` the render created, and under load a closure there
/// could read signals that were already disposed (seen as panics at 32
/// concurrent pages, in Leptos 0.8.23). In the browser the title follows
/// the language as it changes.
pub fn page_title<T>(page: impl Fn() -> T + Send + Sync + 'static) -> TextProp
where
    T: Into<Oco<'static, str>>,
{
    let texts = use_texts();
    let full = move || {
        let page: Oco<'static, str> = page().into();
        let app = texts.get().app_name;
        if page.is_empty() {
            app.to_owned()
        } else {
            format!("{page} · {app}")
        }
    };
    #[cfg(feature = "ssr")]
    {
        TextProp::from(untrack(full))
    }
    #[cfg(not(feature = "ssr"))]
    {
        TextProp::from(full)
    }
}

#[cfg(test)]
mod tests {
    use super::error_text;
    use crate::error::AppError;
    use crate::i18n::texts;
    use domain::Locale;

    #[test]
    fn a_legal_holds_reason_survives_translation() {
        let error = AppError::new(
            409,
            "account_frozen",
            "Your account is under a legal hold, so nothing can be deleted and it cannot be cancelled until the hold is released. Reason: Court order 2026-17",
        );
        assert_eq!(
            error_text(texts(Locale::Zh), &error),
            "你的账号处于法律保全（冻结）状态，解除之前不能删除任何数据，也不能注销。原因：Court order 2026-17"
        );
        assert_eq!(error_text(texts(Locale::En), &error), error.message);
        let unknown = AppError::new(418, "teapot", "Short and stout.");
        assert_eq!(error_text(texts(Locale::Zh), &unknown), "Short and stout.");
    }
}
