//! `/consents`: every feature that runs on the holder's consent, on or off
//! in one click each way; "turn off and clear" deletes what it collected
//! (after the password again); every change's receipt below (Weixin
//! guideline §6.4, §1.5–1.8, §7).

use super::data::ReauthPrompt;
use crate::auth::{Me, failure};
use crate::components::{ErrorAlert, RequireRole, error_text, server_field_error};
use crate::consents::{
    ChangeConsent, ConfirmGuardian, ConsentChange, ConsentView, NewPolicy, PublishPolicy,
    consent_history, consents, guardian_lookup, privacy_policies,
};
use crate::i18n::{use_locale, use_texts};
use crate::use_auth;
use domain::Role;
use domain::consent::{ConsentState, Feature};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

/// The consent page.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=consents_page/> }
}

fn consents_page(me: Me) -> AnyView {
    let minor = me.minor;
    let texts = use_texts();
    let change = ServerAction::<ChangeConsent>::new();
    let list = Resource::new(move || change.version().get(), |_| consents());
    let history = Resource::new(move || change.version().get(), |_| consent_history());
    let problem = Signal::derive(move || failure(change.value().get()));
    // The guardian's form outlives the list's refetch after a refused try.
    let guardian = GuardianAsking {
        feature: RwSignal::new(None),
        email: RwSignal::new(String::new()),
    };
    Effect::new(move |_| {
        if change.value().get().is_some_and(|r| r.is_ok()) {
            guardian.feature.set(None);
            guardian.email.set(String::new());
        }
    });
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("consents_title"))/>
        <section data-testid="consents">
            <h1>{move || texts.get().term("consents_title")}</h1>
            <p class="lead">{move || texts.get().term("consents_intro")}</p>
            <p class="hint" data-testid="gpc-note">{move || texts.get().term("gpc_note")}</p>
            <ReauthPrompt problem/>
            <p class="form-alert" role="alert" data-testid="consent-error">
                {move || problem.get().filter(|e| e.code != "reauth_required").map(|e| error_text(texts.get(), &e))}
            </p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(features) => view! {
                            <ul class="card-grid consent-grid">
                                {features.into_iter().map(|c| view! { <FeatureCard c change minor guardian/> }).collect_view()}
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
                            <div class="table-wrap" tabindex="0" role="region" aria-label=move || texts.get().term("consent_history_title")>
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
                                            let subject = move || feature.map_or_else(
                                                || texts.get().term("policy_acceptance"),
                                                |f| texts.get().feature_name(f).to_owned(),
                                            );
                                            view! {
                                                <tr data-testid="consent-receipt">
                                                    <td>{super::requests::local(&r.at)}</td>
                                                    <td>{subject}</td>
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

/// Which card's guardian form is open, and what is typed in it.
#[derive(Clone, Copy)]
struct GuardianAsking {
    feature: RwSignal<Option<Feature>>,
    email: RwSignal<String>,
}

/// One feature: its state, what stops without it, and its switches. A
/// minor turning on a sensitive feature names a guardian, who confirms.
#[component]
fn FeatureCard(
    c: ConsentView,
    change: ServerAction<ChangeConsent>,
    minor: bool,
    guardian: GuardianAsking,
) -> impl IntoView {
    let texts = use_texts();
    let locale = use_locale();
    let feature = c.feature;
    let key = feature.as_str();
    // "Turn off and clear" asks once more before it deletes.
    let confirming = RwSignal::new(false);
    let asking_guardian = Signal::derive(move || guardian.feature.get() == Some(feature));
    let guardian_email = guardian.email;
    let send = move |granted: bool, clear: bool| {
        let guardian_email =
            (granted && minor && feature.sensitive()).then(|| guardian_email.get_untracked());
        change.dispatch(ChangeConsent {
            feature,
            change: ConsentChange {
                granted,
                clear,
                guardian_email,
            },
        });
    };
    // The server's complaint about this card's guardian field, next to it.
    let mine = Signal::derive(move || {
        failure(change.value().get())
            .filter(|_| change.input().get().is_none_or(|i| i.feature == feature))
    });
    let guardian_error = server_field_error("guardian_email", mine);
    let state = c.state;
    let field_id = format!("guardian-email-{key}");
    view! {
        <li class="card" data-testid=format!("consent-{key}")>
            <h2>{move || texts.get().feature_name(feature)}
                {c.sensitive.then(|| view! { " " <span class="badge">{move || texts.get().term("sensitive")}</span> })}
            </h2>
            <p data-testid="consent-state"><strong>{move || texts.get().consent_state_name(state)}</strong></p>
            {c.paused_for_policy.then(|| view! {
                <p class="notice" data-testid="paused-for-policy">
                    {move || texts.get().term("paused_for_policy")} " "
                    <A href="/privacy-policy">{move || texts.get().term("read_and_accept")}</A>
                </p>
            })}
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
                    ConsentState::Withdrawn if c.gpc => view! {
                        <p class="notice" role="status" data-testid="gpc-active">{move || texts.get().term("gpc_active")}</p>
                    }.into_any(),
                    ConsentState::Withdrawn if minor && c.sensitive => view! {
                        <button type="button" class="button" data-testid="turn-on"
                            disabled=move || change.pending().get() on:click=move |_| guardian.feature.set(Some(feature))>
                            {move || texts.get().term("turn_on")}
                        </button>
                    }.into_any(),
                    ConsentState::Withdrawn => view! {
                        <button type="button" class="button" data-testid="turn-on"
                            disabled=move || change.pending().get() on:click=move |_| send(true, false)>
                            {move || texts.get().term("turn_on")}
                        </button>
                    }.into_any(),
                    ConsentState::AwaitingGuardian => view! {
                        <p class="notice" role="status" data-testid="awaiting-guardian">{move || texts.get().term("awaiting_guardian")}</p>
                        <button type="button" class="button secondary" data-testid="cancel-ask"
                            disabled=move || change.pending().get() on:click=move |_| send(false, false)>
                            {move || texts.get().term("cancel")}
                        </button>
                    }.into_any(),
                }}
            </div>
            <Show when=move || asking_guardian.get()>
                <form class="confirm" data-testid="guardian-form" on:submit=move |ev| {
                    ev.prevent_default();
                    send(true, false);
                }>
                    <p>{move || texts.get().term("guardian_needed")}</p>
                    <div class="field" class:has-error=move || guardian_error.get().is_some()>
                        <label for=field_id.clone()>{move || texts.get().term("guardian_email")}</label>
                        <input id=field_id.clone() name="guardian_email" type="email" autocomplete="off"
                            data-testid="guardian-email"
                            prop:value=move || guardian_email.get()
                            on:input=move |ev| guardian_email.set(event_target_value(&ev))
                            aria-invalid=move || guardian_error.get().is_some().then_some("true")/>
                        <p class="field-error" role="alert" data-testid="guardian-email-error">{move || guardian_error.get()}</p>
                    </div>
                    <button type="submit" class="button" data-testid="ask-guardian" disabled=move || change.pending().get()>
                        {move || texts.get().term("ask_guardian")}
                    </button>
                    " "
                    <button type="button" class="button secondary" on:click=move |_| guardian.feature.set(None)>
                        {move || texts.get().term("cancel")}
                    </button>
                </form>
            </Show>
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

/// `/privacy-policy`: every version with what changed; a holder who has not
/// accepted the one in force accepts it here; an administrator publishes a
/// new one (guideline §7).
#[component]
pub fn PrivacyPolicyPage() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let accept = auth.accept_policy;
    let publish = ServerAction::<PublishPolicy>::new();
    let versions = Resource::new(move || publish.version().get(), |_| privacy_policies());
    let accept_problem = Signal::derive(move || failure(accept.value().get()));
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("privacy_policy_title"))/>
        <section data-testid="privacy-policy">
            <h1>{move || texts.get().term("privacy_policy_title")}</h1>
            <p class="lead">{move || texts.get().term("privacy_policy_intro")}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = auth.user.await.ok().flatten();
                    let pending = me.as_ref().and_then(|m| m.pending_policy.clone());
                    let holder = me.as_ref().is_some_and(|m| m.role == Role::Holder);
                    let admin = me.as_ref().is_some_and(|m| m.role == Role::Admin);
                    view! {
                        {pending.map(|version| {
                            let shown = version.clone();
                            view! {
                            <div class="notice policy-accept" data-testid="accept-policy-box">
                                <p><strong>{move || texts.get().new_policy(&shown)}</strong></p>
                                <p class="form-alert" role="alert">{move || accept_problem.get().map(|e| error_text(texts.get(), &e))}</p>
                                <button type="button" class="button" data-testid="accept-policy"
                                    disabled=move || accept.pending().get()
                                    on:click={
                                        let version = version.clone();
                                        move |_| { accept.dispatch(crate::consents::AcceptPolicy { version: version.clone() }); }
                                    }>
                                    {move || texts.get().term("accept_policy")}
                                </button>
                            </div>
                        }})}
                        {(holder && me.as_ref().is_some_and(|m| m.pending_policy.is_none())).then(|| view! {
                            <p class="notice" role="status" data-testid="policy-accepted">{move || texts.get().term("policy_accepted_yes")}</p>
                        })}
                        {admin.then(|| view! { <PublishPolicyForm publish/> })}
                    }
                })}
            </Transition>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match versions.await {
                        Ok(list) => view! {
                            <ol class="policy-versions" data-testid="policy-versions">
                                {list.into_iter().enumerate().map(|(i, v)| view! {
                                    <li class="card" data-testid="policy-version">
                                        <h2>{v.version.clone()}
                                            {(i == 0).then(|| view! { " " <span class="badge">{move || texts.get().term("policy_in_force")}</span> })}
                                        </h2>
                                        <p class="hint">{move || texts.get().term("policy_published")} " " {super::requests::local(&v.published_at)}</p>
                                        <p class="policy-summary">{v.summary.clone()}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The administrator's form for a new version.
#[component]
fn PublishPolicyForm(publish: ServerAction<PublishPolicy>) -> impl IntoView {
    let texts = use_texts();
    let version = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let problem = Signal::derive(move || failure(publish.value().get()));
    // A published version empties the form.
    Effect::new(move |_| {
        if publish.value().get().is_some_and(|r| r.is_ok()) {
            version.set(String::new());
            summary.set(String::new());
        }
    });
    let error_of = move |field: &'static str| server_field_error(field, problem);
    view! {
        <form class="card form-card" data-testid="publish-policy-form" on:submit=move |ev| {
            ev.prevent_default();
            publish.dispatch(PublishPolicy { policy: NewPolicy { version: version.get_untracked(), summary: summary.get_untracked() } });
        }>
            <h2>{move || texts.get().term("publish_policy_title")}</h2>
            <p class="hint">{move || texts.get().term("publish_policy_hint")}</p>
            <p class="form-alert" role="alert">{move || problem.get().filter(|e| e.field.is_none()).map(|e| error_text(texts.get(), &e))}</p>
            <div class="field">
                <label for="policy-version">{move || texts.get().term("policy_version")}</label>
                <input id="policy-version" name="version" data-testid="policy-version-input" placeholder="2027-01"
                    prop:value=move || version.get() on:input=move |ev| version.set(event_target_value(&ev))/>
                <p class="field-error" role="alert" data-testid="version-error">{error_of("version")}</p>
            </div>
            <div class="field">
                <label for="policy-summary">{move || texts.get().term("policy_summary")}</label>
                <textarea id="policy-summary" name="summary" rows="5" data-testid="policy-summary-input"
                    prop:value=move || summary.get() on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert" data-testid="summary-error">{error_of("summary")}</p>
            </div>
            <button type="submit" class="button" data-testid="publish-policy" disabled=move || publish.pending().get()>
                {move || texts.get().term("publish_policy")}
            </button>
        </form>
    }
}

/// `/guardian?token=…`: what a minor asks a parent or guardian to allow, and
/// the button that allows it (a POST: mail scanners only fetch the page).
#[component]
pub fn GuardianPage() -> impl IntoView {
    let texts = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmGuardian>::new();
    let ask = Resource::new(token, guardian_lookup);
    let problem = Signal::derive(move || failure(confirm.value().get()));
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("guardian_title"))/>
        <section class="form-page" data-testid="guardian-page">
            <h1>{move || texts.get().term("guardian_title")}</h1>
            <p>{move || texts.get().term("guardian_intro")}</p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match ask.await {
                        Ok(a) => {
                            let feature = a.feature;
                            let done = move || a.confirmed || confirm.value().get().is_some_and(|r| r.is_ok());
                            view! {
                                <dl class="facts">
                                    <dt>{move || texts.get().term("guardian_who")}</dt>
                                    <dd data-testid="guardian-holder">{a.holder.clone()}</dd>
                                    <dt>{move || texts.get().term("consent_feature")}</dt>
                                    <dd data-testid="guardian-feature">{move || texts.get().feature_name(feature)}</dd>
                                    <dt>{move || texts.get().term("link_valid_until")}</dt>
                                    <dd>{super::requests::local(&a.expires_at)}</dd>
                                </dl>
                                <p class="hint">{move || feature.stops(locale.get())}</p>
                                <p class="form-alert" role="alert" data-testid="form-alert">{move || problem.get().map(|e| error_text(texts.get(), &e))}</p>
                                <Show when=done fallback=move || view! {
                                    <button type="button" class="button" data-testid="guardian-agree"
                                        disabled=move || confirm.pending().get()
                                        on:click=move |_| { confirm.dispatch(ConfirmGuardian { token: token() }); }>
                                        {move || texts.get().term("guardian_agree")}
                                    </button>
                                    <p class="hint">{move || texts.get().term("guardian_decline_hint")}</p>
                                }>
                                    <p class="notice" role="status" data-testid="guardian-done">{move || texts.get().term("guardian_done")}</p>
                                </Show>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
