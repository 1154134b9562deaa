//! The sign-up and sign-in forms. Each checks its fields with the same
//! `domain` parsers the server runs again, and shows every error next to its
//! field. Before hydration they post to the server function as plain forms.

use crate::auth::{SignIn, SignUp, failure};
use crate::components::{Field, error_text, field_error};
use crate::i18n::{use_locale, use_texts};
use crate::use_auth;
use domain::{BirthDate, DisplayName, Email, Password};
use leptos::{ev::SubmitEvent, html::Input, prelude::*, wasm_bindgen::JsCast};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};
use server_fn::ServerFn;

type ClientErrors = RwSignal<Vec<(&'static str, &'static str)>>;

pub(super) fn value_of(input: NodeRef<Input>) -> String {
    input.get_untracked().map(|i| i.value()).unwrap_or_default()
}

fn focus_first_error(errors: &[(&'static str, &'static str)]) {
    if let Some(element) = errors
        .first()
        .and_then(|(field, _)| document().get_element_by_id(field))
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Sign-up: e-mail, password, display name and birth date.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let texts = use_texts();
    let locale = use_locale();
    let action = use_auth().sign_up;
    let client_errors: ClientErrors = RwSignal::new(Vec::new());
    let server_error = Signal::derive(move || failure(action.value().get()));
    let (email, password, display_name, birth_date) = (
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
        NodeRef::new(),
    );

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = SignUp {
            email: value_of(email),
            password: value_of(password),
            display_name: value_of(display_name),
            birth_date: value_of(birth_date),
            locale: Some(locale.get_untracked()),
        };
        let errors: Vec<_> = [
            Email::parse(&form.email).err(),
            Password::parse(&form.password).err(),
            DisplayName::parse(&form.display_name).err(),
            BirthDate::parse(&form.birth_date, today())
                .and_then(|b| b.age_band(today()))
                .err(),
        ]
        .into_iter()
        .flatten()
        .map(|e| (e.field(), e.code()))
        .collect();
        focus_first_error(&errors);
        let valid = errors.is_empty();
        client_errors.set(errors);
        if valid {
            action.dispatch(form);
        }
    };
    let error = move |field| field_error(field, client_errors, server_error);
    let form_alert = move || {
        let texts = texts.get();
        if !client_errors.get().is_empty() {
            return Some(texts.form_has_errors.to_owned());
        }
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| error_text(texts, &e))
    };

    view! {
        <Title text=crate::components::page_title(move || texts.get().sign_up_title)/>
        <section class="form-page">
            <h1>{move || texts.get().sign_up_title}</h1>
            <p>{move || texts.get().sign_up_intro}</p>
            <p class="form-alert" role="alert" data-testid="form-alert">{form_alert}</p>
            <form method="post" action=SignUp::PATH novalidate on:submit=on_submit data-testid="sign-up-form">
                <input type="hidden" name="locale" value=move || locale.get().tag()/>
                <Field name="email" kind="email" autocomplete="email" label=Signal::derive(move || texts.get().email) error=error("email") node_ref=email/>
                <Field name="password" kind="password" autocomplete="new-password" label=Signal::derive(move || texts.get().password) hint=Signal::derive(move || texts.get().password_hint) error=error("password") node_ref=password/>
                <Field name="display_name" autocomplete="nickname" label=Signal::derive(move || texts.get().display_name) error=error("display_name") node_ref=display_name/>
                <Field name="birth_date" kind="date" autocomplete="bday" label=Signal::derive(move || texts.get().birth_date) hint=Signal::derive(move || texts.get().birth_date_hint) error=error("birth_date") node_ref=birth_date/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { texts.get().submitting } else { texts.get().sign_up_submit }}
                </button>
            </form>
            <p><A href="/login">{move || texts.get().have_account}</A></p>
        </section>
    }
}

/// Sign-in with e-mail and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let texts = use_texts();
    let action = use_auth().sign_in;
    let query = use_query_map();
    let client_errors: ClientErrors = RwSignal::new(Vec::new());
    let server_error = Signal::derive(move || failure(action.value().get()));
    let (email, password) = (NodeRef::new(), NodeRef::new());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = SignIn {
            email: value_of(email),
            password: value_of(password),
        };
        let errors: Vec<_> = [("email", &form.email), ("password", &form.password)]
            .into_iter()
            .filter(|(_, value)| value.trim().is_empty())
            .map(|(field, _)| (field, "required"))
            .collect();
        focus_first_error(&errors);
        let valid = errors.is_empty();
        client_errors.set(errors);
        if valid {
            action.dispatch(form);
        }
    };
    let error = move |field| field_error(field, client_errors, server_error);
    let form_alert = move || {
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| error_text(texts.get(), &e))
    };

    view! {
        <Title text=crate::components::page_title(move || texts.get().sign_in_title)/>
        <section class="form-page">
            <h1>{move || texts.get().sign_in_title}</h1>
            <Show when=move || query.read().get("reset").is_some()>
                <p role="status" class="notice" data-testid="reset-done">{move || texts.get().term("reset_done")}</p>
            </Show>
            <p class="form-alert" role="alert" data-testid="form-alert">{form_alert}</p>
            <form method="post" action=SignIn::PATH novalidate on:submit=on_submit data-testid="sign-in-form">
                <Field name="email" kind="email" autocomplete="username" label=Signal::derive(move || texts.get().email) error=error("email") node_ref=email/>
                <Field name="password" kind="password" autocomplete="current-password" label=Signal::derive(move || texts.get().password) error=error("password") node_ref=password/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { texts.get().submitting } else { texts.get().sign_in_submit }}
                </button>
            </form>
            <p><A href="/forgot" attr:data-testid="forgot-link">{move || texts.get().term("forgot_link")}</A></p>
            <p><A href="/signup">{move || texts.get().no_account}</A></p>
        </section>
    }
}

/// After a sign-up: the link is on its way. Says the same whether or not
/// the address already has an account.
#[component]
pub fn SignUpSentPage() -> impl IntoView {
    let texts = use_texts();
    view! {
        <Title text=crate::components::page_title(move || texts.get().sign_up_sent_title)/>
        <section class="form-page" data-testid="sign-up-sent">
            <h1>{move || texts.get().sign_up_sent_title}</h1>
            <p>{move || texts.get().sign_up_sent_body}</p>
            <p class="hint">{move || texts.get().sign_up_sent_hint}</p>
            <p><A href="/login">{move || texts.get().have_account}</A></p>
        </section>
    }
}

/// The page an e-mail link opens. Confirming takes a click (a POST), so a
/// mail scanner that fetches the link does not use it up.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let texts = use_texts();
    let action = use_auth().verify_email;
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let alert = move || failure(action.value().get()).map(|e| error_text(texts.get(), &e));
    view! {
        <Title text=crate::components::page_title(move || texts.get().verify_email_title)/>
        <section class="form-page">
            <h1>{move || texts.get().verify_email_title}</h1>
            <p>{move || texts.get().verify_email_intro}</p>
            <p class="form-alert" role="alert" data-testid="form-alert">{alert}</p>
            <ActionForm action=action attr:data-testid="verify-email-form">
                <input type="hidden" name="token" prop:value=token/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { texts.get().submitting } else { texts.get().verify_email_submit }}
                </button>
            </ActionForm>
            <p><A href="/signup">{move || texts.get().sign_up_again}</A></p>
        </section>
    }
}
