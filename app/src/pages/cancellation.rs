//! `/account/cancel`: what cancelling deletes, what is kept and why, the
//! cooling-off period, an export first, the password again and a deliberate
//! confirmation; then the countdown and undo (Weixin guideline §6.5, QQ
//! rules §10, Tencent policy "Retention").

use crate::auth::{Me, failure};
use crate::cancellation::{CancellationStatus, account_standing};
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::data::ConfirmPassword;
use crate::i18n::use_texts;
use crate::use_auth;
use domain::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where the account stands, refetched after cancelling or undoing. It is
/// created with the page, not inside `RequireRole`'s `Suspend`: cancelling
/// refetches the signed-in person, which renders the gated page again, and a
/// resource created there again never resolved (the page stayed "Loading…").
#[derive(Clone, Copy)]
struct StandingResource(Resource<Result<CancellationStatus, crate::error::AppError>>);

/// The cancellation page.
#[component]
pub fn CancelAccountPage() -> impl IntoView {
    let auth = use_auth();
    let (cancel, undo) = (auth.cancel_account, auth.undo_cancellation);
    provide_context(StandingResource(Resource::new(
        move || (cancel.version().get(), undo.version().get()),
        |_| account_standing(),
    )));
    view! { <RequireRole allowed=&[Role::Holder] page=cancel_page/> }
}

fn cancel_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let status = expect_context::<StandingResource>().0;
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("cancel_title"))/>
        <section data-testid="cancel-account">
            <h1>{move || texts.get().term("cancel_title")}</h1>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) => view! { <Standing status/> }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Standing(status: CancellationStatus) -> impl IntoView {
    let texts = use_texts();
    let undo = use_auth().undo_cancellation;
    let undo_error = move || failure(undo.value().get()).map(|e| error_text(texts.get(), &e));
    let frozen = status.frozen_reason.clone().map(|reason| {
        view! {
            <div class="notice warning" role="status" data-testid="cancel-frozen">
                <p><strong>{move || texts.get().term("cancel_frozen")}</strong></p>
                <p>{move || texts.get().term("cancel_frozen_reason")} " " <q>{reason.clone()}</q></p>
            </div>
        }
    });
    let days = status.cooling_off_days;
    let body = match status.pending {
        Some(pending) => {
            let when = super::local_instant(&pending.effective_at);
            let left = pending.days_left;
            let held = pending.held;
            view! {
                <div class="card cancel-pending" data-testid="cancel-pending">
                    <p class="lead">
                        {move || texts.get().term("cancel_pending")} " "
                        <strong data-testid="cancel-effective">{when.clone()}</strong>
                    </p>
                    <p data-testid="cancel-days-left">{move || texts.get().days_left_text(left)}</p>
                    {held.then(|| view! { <p class="notice">{move || texts.get().term("cancel_held")}</p> })}
                    <p>{move || texts.get().term("cancel_undo_hint")}</p>
                    <p class="form-alert" role="alert">{undo_error}</p>
                    <button type="button" class="button" data-testid="cancel-undo"
                        disabled=move || undo.pending().get()
                        on:click=move |_| { undo.dispatch(crate::cancellation::UndoCancellation {}); }>
                        {move || texts.get().term("cancel_undo")}
                    </button>
                </div>
            }
            .into_any()
        }
        None if status.frozen_reason.is_some() => ().into_any(),
        None => view! { <CancelForm days/> }.into_any(),
    };
    view! { {frozen} {body} }
}

#[component]
fn CancelForm(days: u32) -> impl IntoView {
    let texts = use_texts();
    let cancel = use_auth().cancel_account;
    let confirm = ServerAction::<ConfirmPassword>::new();
    let password = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let reauth_error = move || failure(confirm.value().get()).map(|e| error_text(texts.get(), &e));
    let cancel_error = move || failure(cancel.value().get()).map(|e| error_text(texts.get(), &e));
    let unlocked = move || matches!(confirm.value().get(), Some(Ok(())));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if unlocked() {
            cancel.dispatch(crate::cancellation::CancelAccount {});
        } else {
            confirm.dispatch(ConfirmPassword {
                password: password.get_untracked(),
            });
        }
    };
    view! {
        <div class="cancel-explained">
            <p class="lead">{move || texts.get().cooling_off_text(days)}</p>
            <div class="card">
                <h2>{move || texts.get().term("cancel_deleted_title")}</h2>
                <ul data-testid="cancel-deleted">
                    <li>{move || texts.get().term("cancel_deleted_data")}</li>
                    <li>{move || texts.get().term("cancel_deleted_sessions")}</li>
                    <li>{move || texts.get().term("cancel_deleted_exports")}</li>
                    <li>{move || texts.get().term("cancel_deleted_address")}</li>
                </ul>
            </div>
            <div class="card">
                <h2>{move || texts.get().term("cancel_kept_title")}</h2>
                <ul data-testid="cancel-kept">
                    <li>{move || texts.get().term("cancel_kept_requests")}</li>
                    <li>{move || texts.get().term("cancel_kept_audit")}</li>
                </ul>
            </div>
            <p class="notice">
                {move || texts.get().term("cancel_export_first")} " "
                <a href="/exports" data-testid="cancel-export-link">{move || texts.get().term("exports_title")}</a>
            </p>
        </div>
        <form class="card cancel-form" novalidate on:submit=submit data-testid="cancel-form">
            <div class="field">
                <label for="cancel-password">{move || texts.get().term("cancel_password")}</label>
                <input id="cancel-password" type="password" autocomplete="current-password"
                    data-testid="cancel-password"
                    prop:disabled=unlocked
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                <p class="field-error" role="alert" data-testid="cancel-password-error">{reauth_error}</p>
            </div>
            <Show when=unlocked>
                <label class="choice">
                    <input type="checkbox" data-testid="cancel-understood"
                        prop:checked=understood on:change=move |ev| understood.set(event_target_checked(&ev))/>
                    {move || texts.get().term("cancel_understood")}
                </label>
            </Show>
            <p class="form-alert" role="alert" data-testid="cancel-error">{cancel_error}</p>
            <button type="submit" class=move || if unlocked() { "button danger" } else { "button" }
                data-testid="cancel-submit"
                disabled=move || cancel.pending().get() || (unlocked() && !understood.get())>
                {move || texts.get().term(if unlocked() { "cancel_confirm" } else { "reauth_submit" })}
            </button>
        </form>
    }
}
