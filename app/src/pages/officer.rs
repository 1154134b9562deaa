//! The privacy officer's register and request page.

use super::requests::{Countdown, PORTAL_ZONE, RequestDetails, local};
use crate::auth::failure;
use crate::components::{RequireRole, error_text};
use crate::i18n::use_texts;
use crate::requests::{OfficerAct, dashboard, register, track_request};
use domain::Role;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

/// `/officer/register`: every request, earliest due first, with live countdowns.
#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Officer, Role::Admin] page=register_page/> }
}

fn register_page(_me: crate::auth::Me) -> AnyView {
    let texts = use_texts();
    let overdue_only = RwSignal::new(false);
    let rows = Resource::new(move || overdue_only.get(), register);
    let figures = Resource::new(|| (), |_| dashboard());
    view! {
        <Title text=move || texts.get().register_title/>
        <section>
            <h1>{move || texts.get().register_title}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    figures.await.ok().map(|f| {
                        let rate = f.on_time_rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0));
                        let median = f.median_days_to_answer.map_or_else(|| "—".to_owned(), |d| format!("{d:.1}"));
                        view! {
                            <dl class="dashboard" data-testid="dashboard">
                                <div><dt>{move || texts.get().dash_open}</dt><dd>{f.open}</dd></div>
                                <div><dt>{move || texts.get().dash_overdue}</dt><dd data-testid="dash-overdue">{f.overdue}</dd></div>
                                <div><dt>{move || texts.get().dash_due_soon}</dt><dd>{f.due_soon}</dd></div>
                                <div><dt>{move || texts.get().dash_on_time}</dt><dd>{rate}</dd></div>
                                <div><dt>{move || texts.get().dash_median_days}</dt><dd>{median}</dd></div>
                            </dl>
                        }
                    })
                })}
            </Suspense>
            <label class="checkbox">
                <input type="checkbox" data-testid="overdue-only" on:change=move |ev| overdue_only.set(event_target_checked(&ev))/>
                " " {move || texts.get().register_overdue_only}
            </label>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || texts.get().register_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="register" data-testid="register">
                                    <thead><tr>
                                        <th scope="col">{move || texts.get().req_ack_label}</th>
                                        <th scope="col">{move || texts.get().col_kind}</th>
                                        <th scope="col">{move || texts.get().status_label}</th>
                                        <th scope="col">{move || texts.get().req_due_label}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|r| {
                                            let href = format!("/officer/requests/{}", r.ack);
                                            let (kind, status) = (r.kind.clone(), r.status.clone());
                                            view! {
                                                <tr class:overdue=r.overdue data-testid="register-row">
                                                    <td><A href=href>{r.ack.clone()}</A></td>
                                                    <td>{move || texts.get().term(&kind)}</td>
                                                    <td>{move || texts.get().term(&status)}
                                                        {r.overdue.then(|| view! { " " <span class="badge-danger">{move || texts.get().overdue_badge}</span> })}
                                                    </td>
                                                    <td>{r.due_at.as_deref().map(local).unwrap_or_default()} " "
                                                        <span class="hint"><Countdown due_at=r.due_at.clone()/></span>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p class="hint">{PORTAL_ZONE}</p>
                        }.into_any(),
                        Err(e) => view! { <p class="form-alert" role="alert">{error_text(texts.get_untracked(), &e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// `/officer/requests/:ack`: one request with its history and the actions.
#[component]
pub fn OfficerRequestPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Officer, Role::Admin] page=officer_request_page/> }
}

fn officer_request_page(_me: crate::auth::Me) -> AnyView {
    let texts = use_texts();
    let params = use_params_map();
    let ack = move || params.get().get("ack").unwrap_or_default();
    let act = ServerAction::<OfficerAct>::new();
    let card = Resource::new(
        move || (ack(), act.version().get()),
        |(ack, _)| track_request(ack, None),
    );
    let text = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let error = move || failure(act.value().get()).map(|e| error_text(texts.get(), &e));
    let dispatch = move |action: &'static str| {
        act.dispatch(OfficerAct {
            ack: ack(),
            action: action.to_owned(),
            text: text.get_untracked(),
            days: days.get_untracked().trim().parse().ok(),
        });
    };
    view! {
        <Title text=move || ack()/>
        <section>
            <p><A href="/officer/register">{move || texts.get().register_title}</A></p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Ok(c) => view! { <RequestDetails card=c/> }.into_any(),
                        Err(e) => view! { <p class="form-alert" role="alert">{error_text(texts.get_untracked(), &e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{move || texts.get().actions_title}</h2>
            <p class="form-alert" role="alert" data-testid="action-error">{error}</p>
            <form class="stack" novalidate on:submit=move |ev: SubmitEvent| ev.prevent_default()>
                <div class="field">
                    <label for="action-text">{move || texts.get().act_text_label}</label>
                    <textarea id="action-text" rows="3" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field narrow">
                    <label for="action-days">{move || texts.get().act_days_label}</label>
                    <input id="action-days" type="number" min="1" prop:value=days on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <div class="actions">
                    {["assign", "verify-identity", "request-info", "extend", "fulfil", "refuse", "note"]
                        .into_iter()
                        .map(|action| view! {
                            <button type="button" class="button secondary" data-testid=format!("act-{action}")
                                disabled=move || act.pending().get() on:click=move |_| dispatch(action)>
                                {move || texts.get().term(action)}
                            </button>
                        })
                        .collect_view()}
                </div>
            </form>
        </section>
    }
    .into_any()
}
