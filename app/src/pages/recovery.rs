//! Getting back into an account: the forgotten-password form and the page
//! its link opens, the re-access request (QQ terms §3–4) with its
//! verification questions, and the page that stops a granted re-access.

use super::account_forms::value_of;
use crate::auth::{RequestPasswordReset, ResetPassword, StopReaccess, failure};
use crate::components::{Field, error_text, field_error, server_field_error};
use crate::i18n::use_texts;
use crate::requests::{FileRequest, NewRequest};
use domain::recovery::{REGISTRATION_METHODS, ReaccessAnswers};
use domain::{Email, Password};
use leptos::{ev::SubmitEvent, html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};
use server_fn::ServerFn;

/// `/forgot`: the address of the account whose password was forgotten.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let texts = use_texts();
    let action = ServerAction::<RequestPasswordReset>::new();
    let client_errors = RwSignal::new(Vec::new());
    let server_error = Signal::derive(move || failure(action.value().get()));
    let email = NodeRef::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = value_of(email);
        let errors: Vec<(&'static str, &'static str)> = Email::parse(&value)
            .err()
            .map(|e| (e.field(), e.code()))
            .into_iter()
            .collect();
        let valid = errors.is_empty();
        client_errors.set(errors);
        if valid {
            action.dispatch(RequestPasswordReset { email: value });
        }
    };
    let alert = move || {
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| error_text(texts.get(), &e))
    };
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("forgot_title"))/>
        <section class="form-page">
            <h1>{move || texts.get().term("forgot_title")}</h1>
            <p>{move || texts.get().term("forgot_intro")}</p>
            <p class="form-alert" role="alert" data-testid="form-alert">{alert}</p>
            <form method="post" action=RequestPasswordReset::PATH novalidate on:submit=on_submit data-testid="forgot-form">
                <Field name="email" kind="email" autocomplete="username" label=Signal::derive(move || texts.get().email) error=field_error("email", client_errors, server_error) node_ref=email/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { texts.get().submitting.to_owned() } else { texts.get().term("forgot_submit") }}
                </button>
            </form>
            <p><A href="/reaccess">{move || texts.get().term("reaccess_link")}</A></p>
            <p><A href="/login">{move || texts.get().have_account}</A></p>
        </section>
    }
}

/// `/forgot/sent`: the same whether or not the address has an account.
#[component]
pub fn ForgotSentPage() -> impl IntoView {
    let texts = use_texts();
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("forgot_sent_title"))/>
        <section class="form-page" data-testid="forgot-sent">
            <h1>{move || texts.get().term("forgot_sent_title")}</h1>
            <p>{move || texts.get().term("forgot_sent_body")}</p>
            <p><A href="/reaccess">{move || texts.get().term("reaccess_link")}</A></p>
        </section>
    }
}

/// `/reset-password?token=`: a new password, once.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let texts = use_texts();
    let action = ServerAction::<ResetPassword>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let client_errors = RwSignal::new(Vec::new());
    let server_error = Signal::derive(move || failure(action.value().get()));
    let password = NodeRef::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = value_of(password);
        let errors: Vec<(&'static str, &'static str)> = Password::parse(&value)
            .err()
            .map(|e| (e.field(), e.code()))
            .into_iter()
            .collect();
        let valid = errors.is_empty();
        client_errors.set(errors);
        if valid {
            action.dispatch(ResetPassword {
                token: token(),
                password: value,
            });
        }
    };
    let alert = move || {
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| error_text(texts.get(), &e))
    };
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("reset_title"))/>
        <section class="form-page">
            <h1>{move || texts.get().term("reset_title")}</h1>
            <p>{move || texts.get().term("reset_intro")}</p>
            <p class="form-alert" role="alert" data-testid="form-alert">{alert}</p>
            <form method="post" action=ResetPassword::PATH novalidate on:submit=on_submit data-testid="reset-form">
                <input type="hidden" name="token" prop:value=token/>
                <Field name="password" kind="password" autocomplete="new-password" label=Signal::derive(move || texts.get().password) hint=Signal::derive(move || texts.get().password_hint) error=field_error("password", client_errors, server_error) node_ref=password/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { texts.get().submitting.to_owned() } else { texts.get().term("reset_submit") }}
                </button>
            </form>
            <p><A href="/forgot">{move || texts.get().term("forgot_again")}</A></p>
        </section>
    }
}

/// Splits a comma- or line-separated answer into its entries.
fn entries(raw: &str) -> Vec<String> {
    raw.split([',', '\n', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn some(raw: String) -> Option<String> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// `/reaccess`: a re-access request for someone who cannot use the
/// forgotten-password route. Acknowledged at once, answered within 4 hours.
#[component]
pub fn ReaccessPage() -> impl IntoView {
    let texts = use_texts();
    let action = ServerAction::<FileRequest>::new();
    let server_error = Signal::derive(move || failure(action.value().get()));
    let refs: [NodeRef<Input>; 10] = std::array::from_fn(|_| NodeRef::new());
    let [
        account,
        contact,
        old_1,
        old_2,
        email,
        mobile,
        month,
        devices,
        places,
        friends,
    ] = refs;
    let method = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let key = StoredValue::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One key per form: a double click or a retry files one request.
        let idempotency_key = key.get_value().unwrap_or_else(|| {
            let fresh = format!(
                "ui-reaccess-{}",
                time::OffsetDateTime::now_utc().unix_timestamp_nanos()
            );
            key.set_value(Some(fresh.clone()));
            fresh
        });
        let answers = ReaccessAnswers {
            account: value_of(account),
            old_passwords: [value_of(old_1), value_of(old_2)]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect(),
            email: some(value_of(email)),
            mobile: some(value_of(mobile)),
            registered_month: some(value_of(month)),
            registration_method: some(method.get_untracked()),
            devices: entries(&value_of(devices)),
            places: entries(&value_of(places)),
            friends: entries(&value_of(friends)),
        };
        action.dispatch(FileRequest {
            request: NewRequest {
                kind: "reaccess".into(),
                channel: "privacy_officer".into(),
                details: details.get_untracked(),
                contact_email: Some(value_of(contact)),
                verification: None,
                category: None,
                reaccess: Some(answers),
            },
            idempotency_key: Some(idempotency_key),
        });
    };
    let error = move |field: &'static str| server_field_error(field, server_error);
    let alert = move || {
        server_error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| error_text(texts.get(), &e))
    };
    let receipt = move || action.value().get().and_then(Result::ok);
    let label = move |key: &'static str| Signal::derive(move || texts.get().term_static(key));
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("reaccess_title"))/>
        <section class="form-page wide">
            <h1>{move || texts.get().term("reaccess_title")}</h1>
            <p>{move || texts.get().term("reaccess_intro")}</p>
            <Show when=move || receipt().is_none() fallback=move || view! {
                <crate::pages::requests::Receipt filed=receipt()/>
                <p>{move || texts.get().term("reaccess_filed_note")}</p>
            }>
                <p class="form-alert" role="alert" data-testid="form-alert">{alert}</p>
                <form on:submit=on_submit novalidate data-testid="reaccess-form">
                    <Field name="reaccess.account" label=label("reaccess_account") hint=label("reaccess_account_hint") error=error("reaccess.account") node_ref=account/>
                    <Field name="contact_email" kind="email" autocomplete="email" label=label("reaccess_contact") hint=label("reaccess_contact_hint") error=error("contact_email") node_ref=contact/>
                    <div class="field">
                        <label for="details">{move || texts.get().term("reaccess_details")}</label>
                        <textarea id="details" rows="3" on:input=move |ev| details.set(event_target_value(&ev))
                            aria-invalid=move || error("details").get().is_some().then_some("true")></textarea>
                        <p class="field-error" role="alert" data-testid="details-error">{move || error("details").get()}</p>
                    </div>
                    <fieldset>
                        <legend>{move || texts.get().term("reaccess_verification")}</legend>
                        <p class="hint">{move || texts.get().term("reaccess_verification_hint")}</p>
                        <p class="field-error" role="alert" data-testid="verification-error">{move || error("reaccess.verification").get()}</p>
                        <Field name="reaccess.old_password_1" kind="password" autocomplete="off" label=label("reaccess_old_password") error=error("reaccess.old_passwords") node_ref=old_1/>
                        <Field name="reaccess.old_password_2" kind="password" autocomplete="off" label=label("reaccess_old_password_2") error=Signal::derive(|| None) node_ref=old_2/>
                        <Field name="reaccess.email" kind="email" label=label("reaccess_email") error=error("reaccess.email") node_ref=email/>
                        <Field name="reaccess.mobile" kind="tel" label=label("reaccess_mobile") error=error("reaccess.mobile") node_ref=mobile/>
                        <Field name="reaccess.registered_month" kind="month" label=label("reaccess_month") hint=label("reaccess_month_hint") error=error("reaccess.registered_month") node_ref=month/>
                        <div class="field">
                            <label for="reaccess.registration_method">{move || texts.get().term("reaccess_method")}</label>
                            <select id="reaccess.registration_method" on:change=move |ev| method.set(event_target_value(&ev))>
                                <option value="">{move || texts.get().term("choose")}</option>
                                {REGISTRATION_METHODS.into_iter().map(|m| view! {
                                    <option value=m>{move || texts.get().term(&format!("method_{m}"))}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-error" role="alert">{move || error("reaccess.registration_method").get()}</p>
                        </div>
                        <Field name="reaccess.devices" label=label("reaccess_devices") hint=label("reaccess_list_hint") error=error("reaccess.devices") node_ref=devices/>
                        <Field name="reaccess.places" label=label("reaccess_places") hint=label("reaccess_list_hint") error=error("reaccess.places") node_ref=places/>
                        <Field name="reaccess.friends" label=label("reaccess_friends") hint=label("reaccess_list_hint") error=error("reaccess.friends") node_ref=friends/>
                    </fieldset>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { texts.get().submitting.to_owned() } else { texts.get().term("reaccess_submit") }}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// `/reaccess/stop?token=`: the holder stops a granted re-access. Takes a
/// click (a POST), so a mail scanner that fetches the link stops nothing.
#[component]
pub fn StopReaccessPage() -> impl IntoView {
    let texts = use_texts();
    let action = ServerAction::<StopReaccess>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let alert = move || failure(action.value().get()).map(|e| error_text(texts.get(), &e));
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("stop_title"))/>
        <section class="form-page">
            <h1>{move || texts.get().term("stop_title")}</h1>
            <Show when=done fallback=move || view! {
                <p>{move || texts.get().term("stop_intro")}</p>
                <p class="form-alert" role="alert" data-testid="form-alert">{alert}</p>
                <button type="button" class="button danger" data-testid="stop-reaccess"
                    disabled=move || action.pending().get()
                    on:click=move |_| { action.dispatch(StopReaccess { token: token() }); }>
                    {move || texts.get().term("stop_submit")}
                </button>
            }>
                <p role="status" data-testid="stopped">{move || texts.get().term("stop_done")}</p>
                <p><A href="/forgot">{move || texts.get().term("forgot_title")}</A></p>
            </Show>
        </section>
    }
}
