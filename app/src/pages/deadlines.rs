//! The public deadline calculator: the domain's engine, run in the browser,
//! shows the due date the server will enforce.

use crate::i18n::{use_locale, use_texts};
use domain::deadlines::{self, DeadlinePolicy, days_left, format_local, local_to_instant};
use leptos::prelude::*;
use leptos_meta::Title;

/// What the calculator shows for one policy and start.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    due_local: String,
    due_utc: String,
    reminders: Vec<String>,
    overdue_local: String,
    due_at: time::OffsetDateTime,
    provisional: bool,
}

fn outcome(policy: &DeadlinePolicy, start_local: &str) -> Option<Result<Outcome, String>> {
    if start_local.trim().is_empty() {
        return None;
    }
    let start = local_to_instant(start_local, &policy.time_zone)?;
    Some(match deadlines::compute(policy, start, &[], &[]) {
        Ok(s) => Ok(Outcome {
            due_local: format_local(s.due_at, &policy.time_zone),
            due_utc: format_local(s.due_at, "UTC"),
            reminders: s
                .reminders
                .iter()
                .map(|r| format_local(r.0, &policy.time_zone))
                .collect(),
            overdue_local: format_local(s.overdue_at, &policy.time_zone),
            due_at: s.due_at,
            provisional: s.provisional,
        }),
        Err(e) => Err(e.to_string()),
    })
}

/// `/deadlines`: every policy, and a calculator.
#[component]
pub fn DeadlinesPage() -> impl IntoView {
    let texts = use_texts();
    let locale = use_locale();
    let policies = StoredValue::new(deadlines::presets());
    let chosen = RwSignal::new("privacy-officer-60".to_owned());
    let start = RwSignal::new(String::new());
    let policy = Memo::new(move |_| {
        policies.with_value(|all| {
            all.iter()
                .find(|p| p.name == chosen.get())
                .cloned()
                .unwrap_or_else(|| all[0].clone())
        })
    });
    let result = Memo::new(move |_| outcome(&policy.get(), &start.get()));

    let options = move || {
        policies.with_value(|all| {
            all.iter()
                .map(|p| {
                    let name = p.name.clone();
                    view! { <option value=name.clone() selected=name == "privacy-officer-60">{name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let shown = move || {
        let texts = texts.get();
        match result.get() {
            None => view! { <p class="hint" data-testid="deadline-empty">{texts.pick_start}</p> }
                .into_any(),
            Some(Err(reason)) => {
                view! { <p class="form-alert" role="alert">{reason}</p> }.into_any()
            }
            Some(Ok(o)) => {
                let zone = policy.get().time_zone;
                let countdown = days_left(o.due_at, time::OffsetDateTime::now_utc(), &zone)
                    .describe(locale.get());
                view! {
                    <dl class="facts" data-testid="deadline-result">
                        <dt>{texts.due_label}</dt>
                        <dd data-testid="due-local">{format!("{} ({zone})", o.due_local)}</dd>
                        <dd class="hint" data-testid="due-utc">{format!("{} {}", o.due_utc, texts.utc)}</dd>
                        <dt>{texts.countdown_label}</dt>
                        <dd data-testid="countdown">{countdown}</dd>
                        <dt>{texts.overdue_from_label}</dt>
                        <dd>{o.overdue_local}</dd>
                        <dt>{texts.reminders_label}</dt>
                        <dd><ul>{o.reminders.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul></dd>
                    </dl>
                    {o.provisional.then(|| view! { <p class="notice">{texts.provisional_note}</p> })}
                }
                .into_any()
            }
        }
    };

    view! {
        <Title text=crate::components::page_title(move || texts.get().deadlines_title)/>
        <section class="form-page wide">
            <h1>{move || texts.get().deadlines_title}</h1>
            <p>{move || texts.get().deadlines_intro}</p>
            <div class="field">
                <label for="policy">{move || texts.get().policy_label}</label>
                <select id="policy" on:change=move |ev| chosen.set(event_target_value(&ev))>{options}</select>
                <p class="hint">
                    {move || format!("{}: {}", texts.get().source_label, policy.get().source)}
                </p>
            </div>
            <div class="field">
                <label for="start">{move || texts.get().start_label}</label>
                <p class="hint" id="start-hint">{move || (texts.get().start_hint)(&policy.get().time_zone)}</p>
                <input id="start" type="datetime-local" aria-describedby="start-hint" on:input=move |ev| start.set(event_target_value(&ev))/>
            </div>
            <div aria-live="polite">{shown}</div>
        </section>
    }
}
