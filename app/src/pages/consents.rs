//! `/consents`: every feature that runs on the holder's consent, on or off
//! in one click each way; "turn off and clear" deletes what it collected
//! (after the password again); every change's receipt below (Weixin
//! guideline §6.4, §1.5–1.8, §7).

use super::data::ReauthPrompt;
use crate::auth::{Me, failure};
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::consents::{ChangeConsent, ConsentChange, ConsentView, consent_history, consents};
use crate::i18n::{use_locale, use_texts};
use domain::Role;
use domain::consent::ConsentState;
use leptos::prelude::*;
use leptos_meta::Title;

/// The consent page.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=consents_page/> }
}

fn consents_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let change = ServerAction::<ChangeConsent>::new();
    let list = Resource::new(move || change.version().get(), |_| consents());
    let history = Resource::new(move || change.version().get(), |_| consent_history());
    let problem = Signal::derive(move || failure(change.value().get()));
    view! {
        <Title text=move || texts.get().term("consents_title")/>
        <section data-testid="consents">
            <h1>{move || texts.get().term("consents_title")}</h1>
            <p class="lead">{move || texts.get().term("consents_intro")}</p>
            <ReauthPrompt problem/>
            <p class="form-alert" role="alert" data-testid="consent-error">
                {move || problem.get().filter(|e| e.code != "reauth_required").map(|e| error_text(texts.get(), &e))}
            </p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(features) => view! {
                            <ul class="card-grid consent-grid">
                                {features.into_iter().map(|c| view! { <FeatureCard c change/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <h2 id="history">{move || texts.get().term("consent_history_title")}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(receipts) if receipts.is_empty() => view! { <p>{move || texts.get().term("nothing_here")}</p> }.into_any(),
                        Ok(receipts) => view! {
                            <div class="table-wrap">
                                <table class="register" data-testid="consent-history">
                                    <thead><tr>
                                        <th scope="col">{move || texts.get().term("audit_when")}</th>
                                        <th scope="col">{move || texts.get().term("consent_feature")}</th>
                                        <th scope="col">{move || texts.get().status_label}</th>
                                        <th scope="col">{move || texts.get().term("consent_channel")}</th>
                                        <th scope="col">{move || texts.get().term("consent_policy_version")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {receipts.into_iter().map(|r| {
                                            let (feature, state, channel) = (r.feature, r.state, r.channel);
                                            let cleared = r.cleared.then_some(r.cleared_items);
                                            view! {
                                                <tr data-testid="consent-receipt">
                                                    <td>{super::requests::local(&r.at)}</td>
                                                    <td>{move || texts.get().feature_name(feature)}</td>
                                                    <td>{move || texts.get().consent_state_name(state)}
                                                        {cleared.map(|n| view! { " · " {move || texts.get().cleared_items(n)} })}
                                                    </td>
                                                    <td>{move || texts.get().channel_name(channel)}</td>
                                                    <td>{r.policy_version.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// One feature: its state, what stops without it, and its switches.
#[component]
fn FeatureCard(c: ConsentView, change: ServerAction<ChangeConsent>) -> impl IntoView {
    let texts = use_texts();
    let locale = use_locale();
    let feature = c.feature;
    let key = feature.as_str();
    // "Turn off and clear" asks once more before it deletes.
    let confirming = RwSignal::new(false);
    let send = move |granted: bool, clear: bool| {
        change.dispatch(ChangeConsent {
            feature,
            change: ConsentChange { granted, clear },
        });
    };
    let state = c.state;
    view! {
        <li class="card" data-testid=format!("consent-{key}")>
            <h2>{move || texts.get().feature_name(feature)}
                {c.sensitive.then(|| view! { " " <span class="badge">{move || texts.get().term("sensitive")}</span> })}
            </h2>
            <p data-testid="consent-state"><strong>{move || texts.get().consent_state_name(state)}</strong></p>
            <p class="hint">{move || feature.stops(locale.get())}</p>
            <div class="actions">
                {match state {
                    ConsentState::Granted => view! {
                        <button type="button" class="button secondary" data-testid="turn-off"
                            disabled=move || change.pending().get() on:click=move |_| send(false, false)>
                            {move || texts.get().term("turn_off")}
                        </button>
                        {c.clears_data.then(|| view! {
                            <button type="button" class="button danger" data-testid="turn-off-clear"
                                disabled=move || change.pending().get() on:click=move |_| confirming.set(true)>
                                {move || texts.get().term("turn_off_clear")}
                            </button>
                        })}
                    }.into_any(),
                    ConsentState::Withdrawn => view! {
                        <button type="button" class="button" data-testid="turn-on"
                            disabled=move || change.pending().get() on:click=move |_| send(true, false)>
                            {move || texts.get().term("turn_on")}
                        </button>
                    }.into_any(),
                    ConsentState::AwaitingGuardian => view! {
                        <p class="notice" role="status">{move || texts.get().term("awaiting_guardian")}</p>
                    }.into_any(),
                }}
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label=move || texts.get().term("confirm_clear_consent")>
                    <p>{move || texts.get().term("confirm_clear_consent")}</p>
                    <button type="button" class="button danger" data-testid="confirm-clear"
                        on:click=move |_| { confirming.set(false); send(false, true); }>
                        {move || texts.get().term("confirm_yes_clear")}
                    </button>
                    " "
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                        {move || texts.get().term("cancel")}
                    </button>
                </div>
            </Show>
        </li>
    }
}
