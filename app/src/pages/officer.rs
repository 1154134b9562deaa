//! The privacy officer's register and request page.

use super::data::ItemList;
use super::requests::{Countdown, RequestDetails, local_in};
use crate::auth::failure;
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::data::requester_data;
use crate::i18n::use_texts;
use crate::requests::{
    ActionBody, OfficerAct, RegisterQuery, RequestView, dashboard, register, track_request,
};
use domain::Role;
use domain::requests::{RequestKind, Status, Verb, Withheld};
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
    let filters = RwSignal::new(RegisterQuery::default());
    let rows = Resource::new(move || filters.get(), register);
    // Further pages, appended below the first; a filter change starts over.
    let more = RwSignal::new(Vec::<RequestView>::new());
    let next = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(page)) = rows.get() {
            more.set(Vec::new());
            next.set(page.next);
        }
    });
    let load_more = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        loading_more.set(true);
        let mut wanted = filters.get_untracked();
        wanted.after = Some(after);
        leptos::task::spawn_local(async move {
            if let Ok(page) = register(wanted).await {
                more.update(|rows| rows.extend(page.rows));
                next.set(page.next);
            }
            loading_more.set(false);
        });
    };
    let figures = Resource::new(|| (), |_| dashboard());
    view! {
        <Title text=crate::components::page_title(move || texts.get().register_title)/>
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
            <form class="filters" data-testid="register-filters" on:submit=move |ev: SubmitEvent| ev.prevent_default()>
                <div class="field">
                    <label for="filter-status">{move || texts.get().status_label}</label>
                    <select id="filter-status" on:change=move |ev| filters.update(|f| f.status = Some(event_target_value(&ev)))>
                        <option value="">{move || texts.get().term("any")}</option>
                        {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || texts.get().status_name(s)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-kind">{move || texts.get().col_kind}</label>
                    <select id="filter-kind" on:change=move |ev| filters.update(|f| f.kind = Some(event_target_value(&ev)))>
                        <option value="">{move || texts.get().term("any")}</option>
                        {RequestKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || texts.get().kind_name(k)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-assignee">{move || texts.get().term("assignee")}</label>
                    <select id="filter-assignee" on:change=move |ev| filters.update(|f| f.assignee = Some(event_target_value(&ev)))>
                        <option value="">{move || texts.get().term("anyone")}</option>
                        <option value="me">{move || texts.get().term("assigned_to_me")}</option>
                        <option value="none">{move || texts.get().term("unassigned")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="filter-due">{move || texts.get().term("due_within")}</label>
                    <select id="filter-due" on:change=move |ev| filters.update(|f| f.due_within_days = event_target_value(&ev).parse().ok())>
                        <option value="">{move || texts.get().term("any")}</option>
                        {[1_i64, 3, 7, 14, 30].into_iter().map(|d| view! {
                            <option value=d.to_string()>{move || (texts.get().within_days)(d)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <label class="checkbox">
                    <input type="checkbox" data-testid="overdue-only" on:change=move |ev| filters.update(|f| f.overdue = event_target_checked(&ev).then_some(true))/>
                    " " {move || texts.get().register_overdue_only}
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="escalated-only" on:change=move |ev| filters.update(|f| f.escalated = event_target_checked(&ev).then_some(true))/>
                    " " {move || texts.get().term("escalated_only")}
                </label>
            </form>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(list) if list.rows.is_empty() => view! { <p>{move || texts.get().register_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=move || texts.get().register_title>
                                <table class="register" data-testid="register">
                                    <thead><tr>
                                        <th scope="col">{move || texts.get().req_ack_label}</th>
                                        <th scope="col">{move || texts.get().col_kind}</th>
                                        <th scope="col">{move || texts.get().status_label}</th>
                                        <th scope="col">{move || texts.get().req_due_label}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.rows.into_iter().map(|r| view! { <RegisterRow r/> }).collect_view()}
                                        {move || more.get().into_iter().map(|r| view! { <RegisterRow r/> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <Show when=move || next.get().is_some()>
                <button type="button" class="button secondary" data-testid="register-more"
                    disabled=move || loading_more.get() on:click=load_more>
                    {move || texts.get().term("load_more")}
                </button>
            </Show>
        </section>
    }
    .into_any()
}

/// One row of the register.
#[component]
fn RegisterRow(r: RequestView) -> impl IntoView {
    let texts = use_texts();
    let href = format!("/officer/requests/{}", r.ack);
    let (kind, status) = (r.kind, r.status);
    view! {
        <tr class:overdue=r.overdue data-testid="register-row">
            <td><A href=href>{r.ack.clone()}</A></td>
            <td>{move || texts.get().kind_name(kind)}</td>
            <td>{move || texts.get().status_name(status)}
                {r.overdue.then(|| view! { " " <span class="badge-danger">{move || texts.get().overdue_badge}</span> })}
                {r.escalated_at.is_some().then(|| view! { " " <span class="badge-info">{move || texts.get().term("escalated_badge")}</span> })}
            </td>
            <td>{r.due_at.as_deref().map(|d| format!("{} ({})", local_in(d, &r.time_zone), r.time_zone)).unwrap_or_default()} " "
                <span class="hint" data-testid="row-countdown"><Countdown due_at=r.due_at.clone() as_of=r.as_of.clone() zone=r.time_zone.clone()/></span>
            </td>
        </tr>
    }
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
    // Items withheld by a partial answer, each with its reason.
    let withheld = RwSignal::new(vec![(
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    )]);
    let error = move || failure(act.value().get()).map(|e| error_text(texts.get(), &e));
    // The one text box is the message, reason, summary or note: whichever
    // the action reads.
    let dispatch = move |verb: Verb| {
        let text = text.get_untracked();
        act.dispatch(OfficerAct {
            ack: ack(),
            verb,
            body: ActionBody {
                assignee_id: None,
                message: text.clone(),
                days: days.get_untracked().trim().parse().ok(),
                reason: text.clone(),
                summary: text.clone(),
                withheld: if verb == Verb::PartlyFulfil {
                    withheld
                        .get_untracked()
                        .iter()
                        .map(|(item, reason)| Withheld {
                            item: item.get_untracked(),
                            reason: reason.get_untracked(),
                        })
                        .filter(|w| !(w.item.trim().is_empty() && w.reason.trim().is_empty()))
                        .collect()
                } else {
                    Vec::new()
                },
                text,
            },
        });
    };
    view! {
        <Title text=crate::components::page_title(ack)/>
        <section>
            <p><A href="/officer/register">{move || texts.get().register_title}</A></p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Ok(c) => {
                            let check = c.reaccess.clone();
                            view! { <RequestDetails card=c/> {check.map(|check| view! { <ReaccessCheckTable check=check/> })} }.into_any()
                        }
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
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
                <fieldset class="withheld" data-testid="withheld">
                    <legend>{move || texts.get().term("withheld_title")}</legend>
                    <p class="hint">{move || texts.get().term("withheld_hint")}</p>
                    {move || withheld.get().into_iter().enumerate().map(|(i, (item, reason))| {
                        let item_id = format!("withheld-item-{i}");
                        let reason_id = format!("withheld-reason-{i}");
                        view! {
                            <div class="withheld-row">
                                <div class="field">
                                    <label for=item_id.clone()>{move || texts.get().term("withheld_item")}</label>
                                    <input id=item_id type="text" prop:value=item on:input=move |ev| item.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for=reason_id.clone()>{move || texts.get().term("withheld_reason")}</label>
                                    <input id=reason_id type="text" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                                </div>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" class="button secondary" data-testid="add-withheld"
                        on:click=move |_| withheld.update(|rows| rows.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))>
                        {move || texts.get().term("withheld_add")}
                    </button>
                </fieldset>
                <div class="actions">
                    {Verb::ALL
                        .into_iter()
                        .map(|verb| view! {
                            <button type="button" class="button secondary" data-testid=format!("act-{}", verb.as_str())
                                disabled=move || act.pending().get() on:click=move |_| dispatch(verb)>
                                {move || texts.get().verb_name(verb)}
                            </button>
                        })
                        .collect_view()}
                </div>
            </form>
            <RequesterData ack=Signal::derive(ack)/>
        </section>
    }
    .into_any()
}

/// The requester's data, through this request: only for its assignee, and
/// every look is in the audit log.
#[component]
fn RequesterData(ack: Signal<String>) -> impl IntoView {
    let texts = use_texts();
    let category = RwSignal::new(String::new());
    let page = Resource::new(
        move || (ack.get(), category.get()),
        |(ack, category)| async move {
            if category.is_empty() {
                Ok(None)
            } else {
                requester_data(ack, category, None).await.map(Some)
            }
        },
    );
    let delete = ServerAction::<crate::data::DeleteItem>::new();
    view! {
        <h2>{move || texts.get().term("requester_data")}</h2>
        <p class="hint">{move || texts.get().term("requester_data_hint")}</p>
        <div class="field narrow-select">
            <label for="requester-category">{move || texts.get().term("category")}</label>
            <select id="requester-category" data-testid="requester-category" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {domain::data::Category::ALL.into_iter().map(|c| {
                    view! { <option value=c.as_str()>{move || texts.get().category_name(c)}</option> }
                }).collect_view()}
            </select>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(p)) => view! {
                        <div data-testid="requester-data">
                            <ItemList items=p.items zone=p.time_zone category=p.category.as_str().to_owned() delete/>
                        </div>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <p class="form-alert" role="alert" data-testid="requester-data-error">{error_text(texts.get_untracked(), &e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// How a re-access request's answers compared with what the account holds:
/// the score and one row per item, never a stored value.
#[component]
fn ReaccessCheckTable(check: crate::requests::ReaccessCheck) -> impl IntoView {
    let texts = use_texts();
    let others = check.other_requests.join(", ");
    let has_others = !check.other_requests.is_empty();
    let Some(card) = check.card else {
        return view! {
            <section class="reaccess-check" data-testid="reaccess-check">
                <h2>{move || texts.get().term("reaccess_check")}</h2>
                <p>{move || texts.get().term("reaccess_no_card")}</p>
            </section>
        }
        .into_any();
    };
    let band = format!(
        "band_{}",
        serde_json::to_value(card.band)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    let found = card.account_found;
    view! {
        <section class="reaccess-check" data-testid="reaccess-check">
            <h2>{move || texts.get().term("reaccess_check")}</h2>
            <p>
                <strong>{move || texts.get().term("reaccess_score")} ": "</strong>
                <span data-testid="reaccess-score">{card.score}</span> " / 100 · "
                <span data-testid="reaccess-band">{move || texts.get().term(&band)}</span>
            </p>
            <Show when=move || !found>
                <p class="form-alert" data-testid="reaccess-no-account">{move || texts.get().term("reaccess_no_account")}</p>
            </Show>
            <Show when=move || has_others>
                <p data-testid="reaccess-others">{move || texts.get().term("reaccess_others")} ": " {others.clone()}</p>
            </Show>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || texts.get().term("reaccess_check")>
                <table>
                    <thead><tr>
                        <th scope="col">{move || texts.get().term("reaccess_item")}</th>
                        <th scope="col">{move || texts.get().term("reaccess_result")}</th>
                        <th scope="col">{move || texts.get().term("reaccess_points")}</th>
                    </tr></thead>
                    <tbody>
                        {card.items.into_iter().map(|row| {
                            let item = format!("item_{}", row.item.as_str());
                            let outcome = format!("outcome_{}", serde_json::to_value(row.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default());
                            let counts = (row.given > 1).then(|| format!(" ({}/{})", row.matched, row.given));
                            view! {
                                <tr data-testid=format!("reaccess-item-{}", row.item.as_str())>
                                    <td>{move || texts.get().term(&item)}</td>
                                    <td>{move || texts.get().term(&outcome)}{counts.clone()}</td>
                                    <td>{format!("{} / {}", row.points, row.weight)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
