//! The administrator's pages: the deadline policies (view and edit, each
//! change a new version for new requests only), the audit log, and legal
//! holds with the settings an administrator may change.

use super::requests::{PORTAL_ZONE, local};
use crate::auth::{Me, failure};
use crate::cancellation::{
    LiftHold, PlaceHold, PortalSettings, SaveAdminSettings, SettingsChange, admin_settings,
};
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::i18n::use_texts;
use crate::requests::{SavePolicy, StoredPolicy, admin_policies, audit_log};
use domain::Role;
use domain::deadlines::{ClockStart, DeadlinePolicy, ExtensionRule, Period, Unit};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

const UNITS: [(Unit, &str); 4] = [
    (Unit::CalendarDays, "calendar_days"),
    (Unit::WorkingDays, "working_days"),
    (Unit::Months, "months"),
    (Unit::Hours, "hours"),
];

fn unit_key(unit: Unit) -> &'static str {
    UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map_or("calendar_days", |(_, k)| k)
}

fn unit_of(key: &str) -> Unit {
    UNITS
        .iter()
        .find(|(_, k)| *k == key)
        .map_or(Unit::CalendarDays, |(u, _)| *u)
}

/// Reminders as people type them: "7, 3, 1" in the policy's unit.
fn reminders_text(policy: &DeadlinePolicy) -> String {
    policy
        .reminders
        .iter()
        .map(|p| p.length.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/admin/policies`.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Admin] page=policies_page/> }
}

fn policies_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let rows = Resource::new(|| (), |()| admin_policies());
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("policies_title"))/>
        <section data-testid="policies">
            <h1>{move || texts.get().term("policies_title")}</h1>
            <p class="lead">{move || texts.get().term("policies_intro")}</p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(list) => list.into_iter().map(|row| view! { <PolicyForm row/> }).collect_view().into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn PolicyForm(row: StoredPolicy) -> impl IntoView {
    let texts = use_texts();
    // One action per policy: its answer and its errors belong to this form.
    let save = ServerAction::<SavePolicy>::new();
    let name = row.rules.name.clone();
    let policy = StoredValue::new(row.rules.clone());
    let length = RwSignal::new(row.rules.period.length.to_string());
    let unit = RwSignal::new(unit_key(row.rules.period.unit).to_owned());
    let clock = RwSignal::new(row.rules.clock_start);
    let pause = RwSignal::new(row.rules.pause_while_awaiting_requester);
    let ext_length = RwSignal::new(
        row.rules
            .extension
            .map(|e| e.period.length.to_string())
            .unwrap_or_default(),
    );
    let ext_times = RwSignal::new(
        row.rules
            .extension
            .map(|e| e.max_times.to_string())
            .unwrap_or_default(),
    );
    let reminders = RwSignal::new(reminders_text(&row.rules));
    let zone = RwSignal::new(row.rules.time_zone.clone());
    let local_error = RwSignal::new(None::<&'static str>);
    let server_error = move || failure(save.value().get()).map(|e| error_text(texts.get(), &e));
    let saved = move || save.value().get().and_then(Result::ok);
    let version = row.version;
    let updated = row.updated_at.clone();
    let shown_version = move || saved().map_or(version, |p| p.version);
    let shown_updated = move || local(&saved().map_or_else(|| updated.clone(), |p| p.updated_at));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let parse = |s: &str| s.trim().parse::<u32>().ok().filter(|n| *n > 0);
        let Some(len) = parse(&length.get_untracked()) else {
            local_error.set(Some("policy_length_invalid"));
            return;
        };
        let unit_value = unit_of(&unit.get_untracked());
        let extension = match (
            ext_length.get_untracked().trim().is_empty(),
            parse(&ext_length.get_untracked()),
            parse(&ext_times.get_untracked()),
        ) {
            (true, _, _) => None,
            (false, Some(l), Some(t)) => Some(ExtensionRule {
                period: Period::new(l, unit_value),
                max_times: t,
            }),
            _ => {
                local_error.set(Some("policy_extension_invalid"));
                return;
            }
        };
        let mut days = Vec::new();
        for part in reminders
            .get_untracked()
            .split([',', ' '])
            .filter(|p| !p.is_empty())
        {
            match parse(part) {
                Some(n) => days.push(Period::new(
                    n,
                    if unit_value == Unit::Hours {
                        Unit::Hours
                    } else {
                        Unit::CalendarDays
                    },
                )),
                None => {
                    local_error.set(Some("policy_reminders_invalid"));
                    return;
                }
            }
        }
        local_error.set(None);
        let mut rules = policy.get_value();
        rules.period = Period::new(len, unit_value);
        rules.clock_start = clock.get_untracked();
        rules.pause_while_awaiting_requester = pause.get_untracked();
        rules.extension = extension;
        rules.reminders = days;
        rules.time_zone = zone.get_untracked().trim().to_owned();
        save.dispatch(SavePolicy { rules });
    };
    let id = |field: &str| format!("{name}-{field}");
    view! {
        <form class="data-form stack policy" novalidate on:submit=on_submit data-testid=format!("policy-{name}")>
            <h2>{name.clone()} " " <span class="hint">{move || texts.get().term("version")} " " <span data-testid="policy-version">{shown_version}</span> " · " {shown_updated}</span></h2>
            <p class="hint">{row.rules.source.clone()}</p>
            <div class="inline-fields">
                <div class="field narrow">
                    <label for=id("length")>{move || texts.get().term("policy_length")}</label>
                    <input id=id("length") type="number" min="1" prop:value=length on:input=move |ev| length.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=id("unit")>{move || texts.get().term("policy_unit")}</label>
                    <select id=id("unit") on:change=move |ev| unit.set(event_target_value(&ev))>
                        {UNITS.into_iter().map(|(_, k)| view! { <option value=k selected=move || unit.get() == k>{move || texts.get().term(k)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=id("clock")>{move || texts.get().term("policy_clock")}</label>
                    <select id=id("clock") on:change=move |ev| clock.set(if event_target_value(&ev) == "receipt" { ClockStart::Receipt } else { ClockStart::Verification })>
                        <option value="receipt" selected=move || clock.get() == ClockStart::Receipt>{move || texts.get().term("clock_receipt")}</option>
                        <option value="verification" selected=move || clock.get() == ClockStart::Verification>{move || texts.get().term("clock_verification")}</option>
                    </select>
                </div>
            </div>
            <label class="checkbox" for=id("pause")>
                <input type="checkbox" id=id("pause") prop:checked=pause on:change=move |ev| pause.set(event_target_checked(&ev))/>
                " " {move || texts.get().term("policy_pause")}
            </label>
            <div class="inline-fields">
                <div class="field narrow">
                    <label for=id("ext")>{move || texts.get().term("policy_extension")}</label>
                    <input id=id("ext") type="number" min="1" prop:value=ext_length on:input=move |ev| ext_length.set(event_target_value(&ev))/>
                </div>
                <div class="field narrow">
                    <label for=id("times")>{move || texts.get().term("policy_extension_times")}</label>
                    <input id=id("times") type="number" min="1" prop:value=ext_times on:input=move |ev| ext_times.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=id("reminders")>{move || texts.get().term("policy_reminders")}</label>
                    <input id=id("reminders") type="text" prop:value=reminders on:input=move |ev| reminders.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=id("zone")>{move || texts.get().term("time_zone")}</label>
                    <input id=id("zone") type="text" prop:value=zone on:input=move |ev| zone.set(event_target_value(&ev))/>
                </div>
            </div>
            <p class="form-alert" role="alert">
                {move || local_error.get().map(|k| texts.get().term(k))}
                {server_error}
            </p>
            <Show when=move || saved().is_some() && local_error.get().is_none()><p class="saved" role="status" data-testid="policy-saved">{move || texts.get().term("policy_saved")}</p></Show>
            <div class="actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{move || texts.get().term("save")}</button>
            </div>
        </form>
    }
}

/// `/admin/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Admin] page=audit_page/> }
}

fn audit_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let log = Resource::new(|| (), |()| audit_log());
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("audit_title"))/>
        <section data-testid="audit">
            <h1>{move || texts.get().term("audit_title")}</h1>
            <p class="lead">{move || texts.get().term("audit_intro")}</p>
            <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(page) => view! {
                            {if page.chain_intact {
                                view! { <p class="notice ok" role="status" data-testid="chain-intact">{move || texts.get().term("chain_intact")}</p> }.into_any()
                            } else {
                                let at = page.broken_at.unwrap_or_default();
                                view! { <p class="form-alert" role="alert" data-testid="chain-broken">{move || texts.get().term("chain_broken")} " #" {at}</p> }.into_any()
                            }}
                            <div class="table-wrap" tabindex="0" role="region" aria-label=move || texts.get().term("audit_title")>
                                <table class="register" data-testid="audit-table">
                                    <thead><tr>
                                        <th scope="col">"#"</th>
                                        <th scope="col">{move || texts.get().term("audit_when")}</th>
                                        <th scope="col">{move || texts.get().term("audit_who")}</th>
                                        <th scope="col">{move || texts.get().term("action")}</th>
                                        <th scope="col">{move || texts.get().term("audit_subject")}</th>
                                        <th scope="col">{move || texts.get().term("audit_detail")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.entries.into_iter().map(|e| view! {
                                            <tr data-testid="audit-row">
                                                <td>{e.seq}</td>
                                                <td>{local(&e.at)}</td>
                                                <td>{e.actor_role.clone()}</td>
                                                <td><code>{e.action.clone()}</code></td>
                                                <td>{e.subject.clone()}</td>
                                                <td><code>{e.detail.clone()}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p class="hint">{PORTAL_ZONE}</p>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// `/admin/holds`: freezing and releasing accounts, and the settings an
/// administrator may change.
#[component]
pub fn HoldsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Admin] page=holds_page/> }
}

fn holds_page(_me: Me) -> AnyView {
    let texts = use_texts();
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("holds_title"))/>
        <section data-testid="holds">
            <h1>{move || texts.get().term("holds_title")}</h1>
            <p class="lead">{move || texts.get().term("holds_intro")}</p>
            <HoldForm/>
            <SettingsForm/>
        </section>
    }
    .into_any()
}

#[component]
fn HoldForm() -> impl IntoView {
    let texts = use_texts();
    let freeze = ServerAction::<PlaceHold>::new();
    let release = ServerAction::<LiftHold>::new();
    let account = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    // The newer of the two answers is the one to show.
    let last = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if freeze.value().get().is_some() {
            last.set(Some("freeze"));
        }
    });
    Effect::new(move |_| {
        if release.value().get().is_some() {
            last.set(Some("release"));
        }
    });
    let error = move || match last.get() {
        Some("freeze") => failure(freeze.value().get()),
        Some(_) => failure(release.value().get()),
        None => None,
    };
    let field_error = move |field: &'static str| {
        move || {
            error()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let outcome = move || match last.get() {
        Some("freeze") => freeze.value().get().and_then(Result::ok).map(|view| {
            format!(
                "{}: {} — {}",
                texts.get().term("hold_frozen"),
                local(&view.frozen_at),
                view.reason
            )
        }),
        Some(_) => release
            .value()
            .get()
            .and_then(Result::ok)
            .map(|()| texts.get().term("hold_released")),
        None => None,
    };
    view! {
        <h2>{move || texts.get().term("hold_title")}</h2>
        <form class="stack narrow-form" novalidate data-testid="hold-form" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            freeze.dispatch(PlaceHold { account_id: account.get_untracked(), reason: reason.get_untracked() });
        }>
            <div class="field">
                <label for="hold-account">{move || texts.get().term("hold_account")}</label>
                <input id="hold-account" type="text" autocomplete="off" spellcheck="false" prop:value=account
                    on:input=move |ev| account.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="hold-reason">{move || texts.get().term("hold_reason")}</label>
                <textarea id="hold-reason" rows="2" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert" data-testid="hold-reason-error">{field_error("reason")}</p>
            </div>
            <p class="form-alert" role="alert" data-testid="hold-error">
                {move || error().filter(|e| e.field.is_none()).map(|e| error_text(texts.get(), &e))}
            </p>
            <p role="status" data-testid="hold-outcome">{outcome}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || freeze.pending().get()>{move || texts.get().term("hold_freeze")}</button>
                <button type="button" class="button secondary" disabled=move || release.pending().get()
                    on:click=move |_| { release.dispatch(LiftHold { account_id: account.get_untracked() }); }>
                    {move || texts.get().term("hold_release")}
                </button>
            </div>
        </form>
    }
}

#[component]
fn SettingsForm() -> impl IntoView {
    let texts = use_texts();
    let current = Resource::new(|| (), |()| admin_settings());
    view! {
        <h2>{move || texts.get().term("settings_title")}</h2>
        <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
            {move || Suspend::new(async move {
                match current.await {
                    Ok(settings) => view! { <SettingsFields settings/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsFields(settings: PortalSettings) -> impl IntoView {
    let texts = use_texts();
    let save = ServerAction::<SaveAdminSettings>::new();
    let days = RwSignal::new(settings.cooling_off_days.to_string());
    let notice = RwSignal::new(settings.regulator_notice);
    let hold = RwSignal::new(settings.reaccess_hold_hours.to_string());
    let local_error = RwSignal::new(false);
    let hold_error = RwSignal::new(false);
    let error = move || failure(save.value().get());
    let field_error = move |field: &'static str| {
        move || {
            error()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(cooling_off_days) = days.get_untracked().trim().parse::<i64>() else {
            local_error.set(true);
            return;
        };
        local_error.set(false);
        let Ok(reaccess_hold_hours) = hold.get_untracked().trim().parse::<i64>() else {
            hold_error.set(true);
            return;
        };
        hold_error.set(false);
        save.dispatch(SaveAdminSettings {
            change: SettingsChange {
                cooling_off_days: Some(cooling_off_days),
                regulator_notice: Some(notice.get_untracked()),
                reaccess_hold_hours: Some(reaccess_hold_hours),
            },
        });
    };
    view! {
        <form class="stack narrow-form" novalidate data-testid="settings-form" on:submit=on_submit>
            <div class="field narrow">
                <label for="cooling-off-days">{move || texts.get().term("cooling_off_label")}</label>
                <input id="cooling-off-days" type="number" min="1" max="90" prop:value=days
                    on:input=move |ev| days.set(event_target_value(&ev))/>
                <p class="field-error" role="alert" data-testid="cooling-off-error">
                    {move || if local_error.get() { texts.get().error("invalid_period").map(str::to_owned) } else { field_error("cooling_off_days")() }}
                </p>
            </div>
            <div class="field">
                <label for="regulator-notice">{move || texts.get().term("regulator_label")}</label>
                <p class="hint" id="regulator-hint">{move || texts.get().term("regulator_hint")}</p>
                <textarea id="regulator-notice" rows="6" aria-describedby="regulator-hint" prop:value=notice
                    on:input=move |ev| notice.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert" data-testid="regulator-error">{field_error("regulator_notice")}</p>
            </div>
            <div class="field narrow">
                <label for="reaccess-hold">{move || texts.get().term("reaccess_hold_label")}</label>
                <p class="hint" id="reaccess-hold-hint">{move || texts.get().term("reaccess_hold_hint")}</p>
                <input id="reaccess-hold" type="number" min="1" max="168" aria-describedby="reaccess-hold-hint" prop:value=hold
                    on:input=move |ev| hold.set(event_target_value(&ev))/>
                <p class="field-error" role="alert" data-testid="reaccess-hold-error">
                    {move || if hold_error.get() { texts.get().error("invalid_period").map(str::to_owned) } else { field_error("reaccess_hold_hours")() }}
                </p>
            </div>
            <p role="status" data-testid="settings-saved">
                {move || save.value().get().and_then(Result::ok).map(|_| texts.get().term("settings_saved"))}
            </p>
            <button type="submit" class="button" disabled=move || save.pending().get()>{move || texts.get().term("settings_save")}</button>
        </form>
    }
}
