//! `/admin/incidents` (drafting, publishing, counts, the CSV for the
//! regulator) and the banner affected holders see until they acknowledge.

use crate::auth::{Me, failure};
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::i18n::use_texts;
use crate::incidents::{
    AcknowledgeIncident, HolderIncident, IncidentDraft, IncidentView, PublishIncident,
    SaveIncident, incidents,
};
use crate::use_auth;
use domain::incident::{Audience, IncidentContent, TARGETABLE};
use domain::{Locale, Role};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

/// The text fields of a notice: (field, label key, multi-line).
const TEXT_FIELDS: [(&str, &str, bool); 11] = [
    ("title_en", "incident_title_en", false),
    ("title_zh", "incident_title_zh", false),
    ("occurred_on", "incident_occurred_on", false),
    ("what_happened_en", "incident_what_en", true),
    ("what_happened_zh", "incident_what_zh", true),
    ("actions_en", "incident_actions_en", true),
    ("actions_zh", "incident_actions_zh", true),
    ("advice_en", "incident_advice_en", true),
    ("advice_zh", "incident_advice_zh", true),
    ("contact", "incident_contact", false),
    ("data_categories", "incident_data_categories", false),
];

/// `/admin/incidents`.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Admin] page=incidents_page/> }
}

fn incidents_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let save = ServerAction::<SaveIncident>::new();
    let publish = ServerAction::<PublishIncident>::new();
    let list = Resource::new(
        move || (save.version().get(), publish.version().get()),
        |_| incidents(),
    );
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("incidents_title"))/>
        <section data-testid="incidents">
            <h1>{move || texts.get().term("incidents_title")}</h1>
            <p class="lead">{move || texts.get().term("incidents_intro")}</p>
            <DraftForm save=save/>
            <h2>{move || texts.get().term("incidents_list")}</h2>
            <p class="form-alert" role="alert" data-testid="publish-alert">
                {move || failure(publish.value().get()).map(|e| error_text(texts.get(), &e))}
            </p>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{move || texts.get().term("incidents_none")}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="incident-list">
                                {rows.into_iter().map(|row| view! { <IncidentRow row=row publish=publish/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn IncidentRow(row: IncidentView, publish: ServerAction<PublishIncident>) -> impl IntoView {
    let texts = use_texts();
    let published = row.published_at.is_some();
    let id = row.id.clone();
    let csv = crate::transport::portal_url(&format!(
        "/api/v1/admin/incidents/{}/deliveries.csv",
        row.id
    ));
    let title = row.content.title_en.clone();
    let title_zh = row.content.title_zh.clone();
    let audience = match &row.audience {
        Audience::Everyone => "everyone".to_owned(),
        Audience::Categories { categories } => categories.join(", "),
        Audience::Accounts { accounts } => format!("{} × ID", accounts.len()),
    };
    view! {
        <li class="incident-row" data-testid="incident-row" data-status=row.status.clone()>
            <h3>{move || match texts.get().locale { Locale::En => title.clone(), Locale::Zh => title_zh.clone() }}</h3>
            <dl class="facts">
                <dt>{move || texts.get().term("incident_status")}</dt>
                <dd>{move || texts.get().term(&format!("incident_{}", if published { "published" } else { "draft" }))}</dd>
                <dt>{move || texts.get().term("incident_audience")}</dt>
                <dd>{audience}</dd>
                <dt>{move || texts.get().term("incident_delivered")}</dt>
                <dd data-testid="incident-delivered">{row.delivered}</dd>
                <dt>{move || texts.get().term("incident_acknowledged")}</dt>
                <dd data-testid="incident-acknowledged">{row.acknowledged}</dd>
                <dt>{move || texts.get().term("incident_emailed")}</dt>
                <dd>{row.emailed}</dd>
            </dl>
            {if published {
                view! { <p><a href=csv download data-testid="incident-csv">{move || texts.get().term("incident_csv")}</a></p> }.into_any()
            } else {
                view! {
                    <button type="button" class="button" data-testid="incident-publish"
                        disabled=move || publish.pending().get()
                        on:click=move |_| { publish.dispatch(PublishIncident { id: id.clone() }); }>
                        {move || texts.get().term("incident_publish")}
                    </button>
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn DraftForm(save: ServerAction<SaveIncident>) -> impl IntoView {
    let texts = use_texts();
    let values: Vec<(&'static str, RwSignal<String>)> = TEXT_FIELDS
        .iter()
        .map(|(field, _, _)| (*field, RwSignal::new(String::new())))
        .collect();
    let values = StoredValue::new(values);
    let get = move |field: &str| {
        values.with_value(|v| {
            v.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, s)| s.get_untracked())
                .unwrap_or_default()
        })
    };
    let audience_kind = RwSignal::new("categories".to_owned());
    let audience_categories = RwSignal::new(String::new());
    let audience_accounts = RwSignal::new(String::new());
    let follows = RwSignal::new(String::new());
    let error = Signal::derive(move || failure(save.value().get()));
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let split = |raw: String| -> Vec<String> {
        raw.split([',', ' ', '\n', '，'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let content = IncidentContent {
            title_en: get("title_en"),
            title_zh: get("title_zh"),
            what_happened_en: get("what_happened_en"),
            what_happened_zh: get("what_happened_zh"),
            occurred_on: get("occurred_on"),
            data_categories: split(get("data_categories")),
            actions_en: get("actions_en"),
            actions_zh: get("actions_zh"),
            advice_en: get("advice_en"),
            advice_zh: get("advice_zh"),
            contact: get("contact"),
        };
        let audience = match audience_kind.get_untracked().as_str() {
            "everyone" => Audience::Everyone,
            "accounts" => Audience::Accounts {
                accounts: split(audience_accounts.get_untracked()),
            },
            _ => Audience::Categories {
                categories: split(audience_categories.get_untracked()),
            },
        };
        save.dispatch(SaveIncident {
            id: None,
            draft: IncidentDraft {
                content,
                audience,
                follows: Some(follows.get_untracked()).filter(|f| !f.trim().is_empty()),
            },
        });
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let targetable = TARGETABLE.map(|c| c.as_str()).join(", ");
    view! {
        <form class="card-form" on:submit=on_submit novalidate data-testid="incident-form">
            <h2>{move || texts.get().term("incident_new")}</h2>
            <p class="form-alert" role="alert">{move || error.get().filter(|e| e.field.is_none()).map(|e| error_text(texts.get(), &e))}</p>
            {TEXT_FIELDS.into_iter().map(|(field, label, multiline)| {
                let signal = values.with_value(|v| v.iter().find(|(f, _)| *f == field).map(|(_, s)| *s)).unwrap_or_else(|| RwSignal::new(String::new()));
                let id = format!("incident-{field}");
                let control = if multiline {
                    view! { <textarea id=id.clone() rows="3" prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))></textarea> }.into_any()
                } else {
                    let kind = if field == "occurred_on" { "date" } else { "text" };
                    view! { <input id=id.clone() type=kind prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))/> }.into_any()
                };
                view! {
                    <div class="field">
                        <label for=id>{move || texts.get().term(label)}</label>
                        {control}
                        <p class="field-error" role="alert" data-testid=format!("{field}-error")>{field_error(field)}</p>
                    </div>
                }
            }).collect_view()}
            <fieldset>
                <legend>{move || texts.get().term("incident_audience")}</legend>
                {["categories", "everyone", "accounts"].into_iter().map(|kind| view! {
                    <label class="checkbox">
                        <input type="radio" name="audience-kind" value=kind prop:checked=move || audience_kind.get() == kind
                            on:change=move |_| audience_kind.set(kind.to_owned())/>
                        {move || texts.get().term(&format!("audience_{kind}"))}
                    </label>
                }).collect_view()}
                <div class="field">
                    <label for="audience-categories">{move || texts.get().term("audience_categories_label")}</label>
                    <p class="hint">{targetable}</p>
                    <input id="audience-categories" type="text" prop:value=audience_categories on:input=move |ev| audience_categories.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="audience-accounts">{move || texts.get().term("audience_accounts_label")}</label>
                    <textarea id="audience-accounts" rows="2" prop:value=audience_accounts on:input=move |ev| audience_accounts.set(event_target_value(&ev))></textarea>
                </div>
                <p class="field-error" role="alert" data-testid="audience-error">{field_error("audience")}</p>
            </fieldset>
            <div class="field">
                <label for="incident-follows">{move || texts.get().term("incident_follows")}</label>
                <input id="incident-follows" type="text" prop:value=follows on:input=move |ev| follows.set(event_target_value(&ev))/>
                <p class="field-error" role="alert">{field_error("follows")}</p>
            </div>
            <button type="submit" class="button" disabled=move || save.pending().get()>{move || texts.get().term("incident_save")}</button>
            <p role="status" data-testid="incident-saved">{move || saved().then(|| texts.get().term("incident_saved"))}</p>
        </form>
    }
}

/// The notices a signed-in holder has not acknowledged, above every page
/// (they come with the signed-in person, as the cancellation countdown does).
/// One acknowledged goes at once; the server forgets it for every later page.
#[component]
pub fn IncidentBanner() -> impl IntoView {
    let auth = use_auth();
    let acknowledge = ServerAction::<AcknowledgeIncident>::new();
    let acknowledged = RwSignal::new(Vec::<String>::new());
    // The notice whose button was pressed last goes once the server took it.
    let pressed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if matches!(acknowledge.value().get(), Some(Ok(())))
            && let Some(id) = pressed.get_untracked()
        {
            acknowledged.update(|ids| ids.push(id));
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let notices = auth.user.await.ok().flatten().map(|me| me.incidents).unwrap_or_default();
                notices
                    .into_iter()
                    .map(|n| {
                        let id = n.id.clone();
                        view! {
                            <Show when=move || !acknowledged.get().contains(&id)>
                                <IncidentNotice notice=n.clone() acknowledge=acknowledge pressed=pressed/>
                            </Show>
                        }
                    })
                    .collect_view()
            })}
        </Transition>
    }
}

#[component]
fn IncidentNotice(
    notice: HolderIncident,
    acknowledge: ServerAction<AcknowledgeIncident>,
    pressed: RwSignal<Option<String>>,
) -> impl IntoView {
    let texts = use_texts();
    let c = StoredValue::new(notice.content);
    let pick = move |en: fn(&IncidentContent) -> &String, zh: fn(&IncidentContent) -> &String| {
        move || {
            c.with_value(|c| match texts.get().locale {
                Locale::En => en(c).clone(),
                Locale::Zh => zh(c).clone(),
            })
        }
    };
    let id = notice.id.clone();
    let update = notice.is_update;
    view! {
        <aside class="incident-banner" role="region" aria-labelledby=format!("incident-{}", notice.id) data-testid="incident-banner">
            <h2 id=format!("incident-{}", notice.id)>
                {move || if update { texts.get().term("incident_update_prefix") } else { String::new() }}
                {pick(|c| &c.title_en, |c| &c.title_zh)}
            </h2>
            <dl class="facts">
                <dt>{move || texts.get().term("incident_what")}</dt>
                <dd>{move || c.with_value(|c| c.occurred_on.clone())} " · " {pick(|c| &c.what_happened_en, |c| &c.what_happened_zh)}</dd>
                <dt>{move || texts.get().term("incident_data")}</dt>
                <dd>{move || c.with_value(|c| c.data_categories.iter().map(|k| {
                    domain::data::Category::parse(k).map_or_else(|| k.clone(), |cat| texts.get().category_name(cat).to_owned())
                }).collect::<Vec<_>>().join(", "))}</dd>
                <dt>{move || texts.get().term("incident_done")}</dt>
                <dd>{pick(|c| &c.actions_en, |c| &c.actions_zh)}</dd>
                <dt>{move || texts.get().term("incident_todo")}</dt>
                <dd>{pick(|c| &c.advice_en, |c| &c.advice_zh)}</dd>
                <dt>{move || texts.get().term("incident_contact_label")}</dt>
                <dd>{move || c.with_value(|c| c.contact.clone())}</dd>
            </dl>
            <button type="button" class="button" data-testid="incident-acknowledge"
                disabled=move || acknowledge.pending().get()
                on:click=move |_| {
                    pressed.set(Some(id.clone()));
                    acknowledge.dispatch(AcknowledgeIncident { id: id.clone() });
                }>
                {move || texts.get().term("incident_ack")}
            </button>
        </aside>
    }
}
