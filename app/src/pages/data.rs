//! The holder's data: the overview with counts (`/data`), one page per
//! category (`/data/:category`) with paging, deletion behind a confirm step,
//! correction of the profile and security fields, and the privacy settings.

use crate::auth::{Me, failure};
use crate::components::{ErrorAlert, RequireRole, error_text, server_field_error};
use crate::data::{
    AddEmergencyContact, ClearCategory, ConfirmPassword, CorrectFields, Correction, DataFilter,
    DataItem, DataPage, DeleteDataRange, DeleteItem, SavePrivacySettings, SettingsView,
    data_overview, data_series, fetch_data_page, preview_posts, privacy_settings,
};
use crate::error::AppError;
use crate::i18n::use_texts;
use crate::requests::{FileRequest, NewRequest};
use domain::Role;
use domain::data::Category;
use domain::data::PostsWindow;
use domain::deadlines::format_local;
use domain::requests::{RequestKind, Status};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

mod charts;
mod range;
mod table;

/// Keys whose values are words the UI translates (the rest is the holder's own text).
const TRANSLATED_VALUES: [&str; 12] = [
    "gender",
    "direction",
    "granted",
    "password",
    "voiceprint",
    "action",
    "category",
    "card_type",
    "feature",
    "kind",
    "status",
    "posts_window",
];

fn shown_value(texts: &crate::i18n::Texts, key: &str, value: &str, zone: &str) -> String {
    if matches!(key, "first_seen" | "due_at" | "voiceprint")
        && let Ok(at) = OffsetDateTime::parse(value, &Rfc3339)
    {
        return format_local(at, zone);
    }
    // An export's scope is the whole account or a choice of categories.
    if key == "category" && matches!(value, "all" | "chosen") {
        return texts.term(if value == "all" {
            "exports_whole"
        } else {
            "exports_chosen"
        });
    }
    // Request kinds, statuses and categories are named by exhaustive
    // matches on their enums; the other values by the terms table.
    let named = match key {
        "kind" => RequestKind::parse(value).map(|k| texts.kind_name(k)),
        "status" => Status::parse(value).map(|s| texts.status_name(s)),
        "category" => Category::parse(value).map(|c| texts.category_name(c)),
        "feature" => domain::consent::Feature::parse(value).map(|f| texts.feature_name(f)),
        _ => None,
    };
    if let Some(name) = named {
        return name.to_owned();
    }
    if TRANSLATED_VALUES.contains(&key) {
        return texts.term(value);
    }
    value.to_owned()
}

/// `/data`: every category with its count.
#[component]
pub fn DataOverviewPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=overview_page/> }
}

/// The local day of an RFC 3339 instant, or the day itself.
fn day_of(at: &str, zone: &str) -> String {
    OffsetDateTime::parse(at, &Rfc3339).map_or_else(
        |_| at.to_owned(),
        |at| domain::deadlines::local_date(at, zone).to_string(),
    )
}

fn overview_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let counts = Resource::new(|| (), |()| data_overview());
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("data_title"))/>
        <section data-testid="data-overview">
            <h1>{move || texts.get().term("data_title")}</h1>
            <p class="lead">{move || texts.get().term("data_intro")}</p>
            <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(overview) => { let (zone, list) = (overview.time_zone, overview.categories); view! {
                            <ul class="card-grid category-grid">
                                {list.into_iter().map(|c| {
                                    let href = format!("/data/{}", c.category.as_str());
                                    let key = c.category;
                                    let unit = if c.count == 1 { "item" } else { "items" };
                                    let zone = zone.clone();
                                    let shown = move |at: Option<String>| at.map(|at| day_of(&at, &zone));
                                    let (oldest, newest) = (shown(c.oldest), shown(c.newest));
                                    let span = oldest.zip(newest).map(|(oldest, newest)| view! {
                                        <dl class="span" data-testid="span">
                                            <div><dt>{move || texts.get().term("oldest")}</dt><dd><time datetime=oldest.clone()>{oldest.clone()}</time></dd></div>
                                            <div><dt>{move || texts.get().term("newest")}</dt><dd><time datetime=newest.clone()>{newest.clone()}</time></dd></div>
                                        </dl>
                                    });
                                    let collecting = c.collecting.map(|on| view! {
                                        <p class=if on { "badge on" } else { "badge off" } data-testid="collecting" data-on=on.to_string()>
                                            {move || texts.get().term(if on { "collecting_on" } else { "collecting_off" })}
                                        </p>
                                    });
                                    view! {
                                        <li class="card" data-testid=format!("category-{}", c.category.as_str())>
                                            <h2><A href=href>{move || texts.get().category_name(key)}</A></h2>
                                            <p class="count" data-testid="count" data-count=c.count.to_string()>{c.count}" " {move || texts.get().term(unit)}</p>
                                            {span}
                                            {collecting}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any() }
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// `/data/:category`: one category.
#[component]
pub fn DataCategoryPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=category_page/> }
}

fn category_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let category = Signal::derive(move || params.get().get("category").unwrap_or_default());
    // The URL narrows the page: one conversation, a range of days, a text.
    let filter = Signal::derive(move || {
        let q = query.get();
        let part = |key: &str| q.get(key).filter(|v| !v.trim().is_empty());
        DataFilter {
            conversation: part("conversation"),
            from: part("from"),
            to: part("to"),
            q: part("q"),
        }
    });
    let delete = ServerAction::<DeleteItem>::new();
    let clear = ServerAction::<ClearCategory>::new();
    let delete_range = ServerAction::<DeleteDataRange>::new();
    let correct = ServerAction::<CorrectFields>::new();
    let settings_saved = ServerAction::<SavePrivacySettings>::new();
    let add_contact = ServerAction::<AddEmergencyContact>::new();
    // Reload after a change went through; after a refusal the form keeps
    // what the person typed.
    let changes = RwSignal::new(0_u32);
    // One effect per action, so that a new answer of one does not replay
    // another's old success.
    fn reload_on_success<A, O>(action: ServerAction<A>, changes: RwSignal<u32>)
    where
        A: leptos::server_fn::ServerFn<Output = O, Error = AppError>
            + Clone
            + Send
            + Sync
            + 'static,
        O: Clone + Send + Sync + 'static,
    {
        Effect::new(move |_| {
            if action.value().get().is_some_and(|r| r.is_ok()) {
                changes.update(|n| *n += 1);
            }
        });
    }
    reload_on_success(delete, changes);
    reload_on_success(clear, changes);
    reload_on_success(delete_range, changes);
    reload_on_success(correct, changes);
    reload_on_success(settings_saved, changes);
    reload_on_success(add_contact, changes);
    let first = Resource::new(
        move || (category.get(), filter.get(), changes.get()),
        |(category, filter, _)| fetch_data_page(category, None, filter),
    );
    // The settings form's data, loaded beside the page (a resource created
    // inside the page's Suspend would not hydrate).
    let settings_view = Resource::new(
        move || (category.get(), changes.get()),
        |(category, _)| async move {
            if category == "settings" || category == "posts" {
                privacy_settings().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    // The chart's data: the year of steps up to the range's last day, or
    // the range's location points.
    let series = Resource::new(
        move || (category.get(), filter.get(), changes.get()),
        |(category, filter, _)| async move {
            match category.as_str() {
                "steps" => data_series(
                    category,
                    DataFilter {
                        to: filter.to,
                        ..DataFilter::default()
                    },
                )
                .await
                .map(Some),
                "location" => data_series(category, filter).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    // Further pages, appended below the first.
    let more = RwSignal::new(Vec::<DataItem>::new());
    let next = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    let sort: table::SortBy = RwSignal::new((0, false));
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next_cursor);
        }
    });
    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        loading_more.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(page) = fetch_data_page(
                category.get_untracked(),
                Some(cursor),
                filter.get_untracked(),
            )
            .await
            {
                more.update(|items| items.extend(page.items));
                next.set(page.next_cursor);
            }
            loading_more.set(false);
        });
    };
    let title = move || {
        let raw = category.get();
        Category::parse(&raw).map_or(raw, |c| texts.get().category_name(c).to_owned())
    };
    let problem = Signal::derive(move || {
        failure(delete.value().get()).or_else(|| failure(clear.value().get()))
    });
    // A refused range or text is shown next to its field.
    // Set by an effect (which runs in the browser only), not derived from
    // `first` here: the range bar sits outside the page's Transition, and a
    // resource read with `.get()` by two boundaries at once made Leptos
    // 0.8.23 re-check the outer one without end on the server (leptos#4578).
    let page_error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| page_error.set(first.get().and_then(Result::err)));
    let field_of_range = |e: &AppError| matches!(e.field.as_deref(), Some("from" | "to" | "q"));
    view! {
        <Title text=crate::components::page_title(title)/>
        <section data-testid="data-category">
            <p><A href="/data">{move || texts.get().term("data_title")}</A></p>
            <h1>{title}</h1>
            <ReauthPrompt problem/>
            <p class="form-alert" role="alert" data-testid="data-error">
                {move || problem.get().filter(|e| e.code != "reauth_required").map(|e| error_text(texts.get(), &e))}
            </p>
            {move || {
                Category::parse(&category.get()).filter(|c| c.dated()).map(|c| view! {
                    <range::RangeBar category=c filter error=page_error.into() delete_range/>
                })
            }}
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    let loaded = (first.await, settings_view.await, series.await);
                    // The Transition's second walk would build the whole list
                    // once more before the render builds it (see RequireRole);
                    // nothing below creates a resource, so the walk can stop.
                    #[cfg(feature = "ssr")]
                    crate::components::PendingOnce::default().await;
                    match loaded {
                        (Ok(page), Ok(settings), Ok(series)) => {
                            let zone = page.time_zone.clone();
                            let forms = match page.category.as_str() {
                                "profile" => Some(view! { <CorrectionForm page=page.clone() action=correct/> }.into_any()),
                                "account_security" => Some(view! { <CorrectionForm page=page.clone() action=correct/> }.into_any()),
                                "settings" => settings.map(|view| view! { <SettingsFields view action=settings_saved/> }.into_any()),
                                "posts" => settings.map(|view| view! { <PostsPreview friends=view.friends delete/> }.into_any()),
                                _ => None,
                            };
                            let f = filter.get_untracked();
                            let chart = series.map(|series| match page.category {
                                Category::Steps => view! { <charts::StepsChart page=series to=f.to.clone()/> }.into_any(),
                                _ => view! { <charts::LocationPlot page=series one_day=f.from.is_some() && f.from == f.to/> }.into_any(),
                            });
                            let clearable = page.clearable && !page.items.is_empty();
                            let category_key = page.category.as_str().to_owned();
                            let listed = !matches!(page.category.as_str(), "profile" | "settings");
                            let tabled = table::TABLED.contains(&page.category.as_str());
                            let list = if !listed {
                                None
                            } else if tabled {
                                let (base, zone, category) = (page.items.clone(), page.time_zone.clone(), category_key.clone());
                                Some(view! {
                                    {move || {
                                        let mut items = base.clone();
                                        items.extend(more.get());
                                        view! { <table::DataTable items zone=zone.clone() category=category.clone() delete sort/> }
                                    }}
                                }.into_any())
                            } else {
                                let (zone, category) = (page.time_zone.clone(), category_key.clone());
                                Some(view! {
                                    <ItemList items=page.items.clone() zone=page.time_zone.clone() category=category_key.clone() delete/>
                                    {move || view! { <ItemList items=more.get() zone=zone.clone() category=category.clone() delete/> }}
                                }.into_any())
                            };
                            view! {
                                {forms}
                                {chart}
                                {listed.then(|| view! {
                                    <p class="hint">{move || texts.get().term("times_in")} " " {zone.clone()}</p>
                                })}
                                {(clearable && f.is_empty()).then(|| view! { <ClearButton category=category_key.clone() action=clear/> })}
                                {(listed && !page.items.is_empty()).then_some(list)}
                                {(page.items.is_empty()).then(|| view! { <p data-testid="data-empty">{move || texts.get().term("nothing_here")}</p> })}
                            }.into_any()
                        }
                        (Err(e), _, _) if field_of_range(&e) => ().into_any(),
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <p class="form-alert" role="alert">{error_text(texts.get_untracked(), &e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Show when=move || next.get().is_some()>
                <button type="button" class="button secondary" data-testid="load-more"
                    disabled=move || loading_more.get() on:click=load_more>
                    {move || texts.get().term("load_more")}
                </button>
            </Show>
            // Outside the Transition: the page reloads after every change, and a
            // form rebuilt by that reload would lose what the holder is typing.
            <Show when=move || category.get() == "account_security">
                <ContactForm action=add_contact/>
            </Show>
        </section>
    }
    .into_any()
}

/// The items of a page, each with its delete button and confirm step.
#[component]
pub(crate) fn ItemList(
    items: Vec<DataItem>,
    zone: String,
    category: String,
    delete: ServerAction<DeleteItem>,
) -> impl IntoView {
    let texts = use_texts();
    let confirming = RwSignal::new(None::<String>);
    let list = items
        .into_iter()
        .map(|item| {
            let zone = zone.clone();
            let when = item
                .at
                .as_deref()
                .and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok())
                .map(|at| format_local(at, &zone))
                .or(item.day.clone());
            let row_id = item.id.clone();
            let id = item.id.clone();
            let id_for_confirm = item.id.clone();
            let category = category.clone();
            let is_conversation = category == "conversations";
            let messages_href = format!("/data/messages?conversation={}", item.id);
            let fields = item
                .fields
                .into_iter()
                .filter(|f| f.key != "conversation")
                .map(|f| {
                    let key = f.key.clone();
                    let zone = zone.clone();
                    view! {
                        <div>
                            <dt>{move || texts.get().term(&key)}</dt>
                            <dd class="value">{move || shown_value(texts.get(), &f.key, &f.value, &zone)}</dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <li class="data-item" data-testid="data-item" data-id=row_id>
                    {when.map(|w| view! { <p class="when"><time>{w}</time></p> })}
                    <dl class="item-fields">{fields}</dl>
                    <div class="actions">
                        {is_conversation.then(|| view! { <A href=messages_href attr:class="button secondary">{move || texts.get().term("view_messages")}</A> })}
                        {item.deletable.then(|| {
                            let id = id.clone();
                            view! {
                                <Show when=move || confirming.get().as_deref() != Some(id.as_str())>
                                    {
                                        let id = id_for_confirm.clone();
                                        view! {
                                            <button type="button" class="button secondary" data-testid="delete"
                                                on:click=move |_| confirming.set(Some(id.clone()))>
                                                {move || texts.get().term("delete")}
                                            </button>
                                        }
                                    }
                                </Show>
                            }
                        })}
                    </div>
                    {
                        let id = item.id.clone();
                        let category = category.clone();
                        view! {
                            <Show when=move || confirming.get().as_deref() == Some(id.as_str())>
                                {
                                    let id = item.id.clone();
                                    let category = category.clone();
                                    view! {
                                        <div class="confirm" role="group" aria-label=move || texts.get().term("confirm_delete")>
                                            <p>{move || texts.get().term("confirm_delete")}</p>
                                            <button type="button" class="button danger" data-testid="confirm-delete"
                                                disabled=move || delete.pending().get()
                                                on:click={
                                                    let id = id.clone();
                                                    let category = category.clone();
                                                    move |_| {
                                                        delete.dispatch(DeleteItem { category: category.clone(), id: id.clone() });
                                                        confirming.set(None);
                                                    }
                                                }>
                                                {move || texts.get().term("confirm_yes_delete")}
                                            </button>
                                            " "
                                            <button type="button" class="button secondary" on:click=move |_| confirming.set(None)>
                                                {move || texts.get().term("cancel")}
                                            </button>
                                        </div>
                                    }
                                }
                            </Show>
                        }
                    }
                </li>
            }
        })
        .collect_view();
    view! { <ul class="data-list">{list}</ul> }
}

/// Who sees which posts: the privacy settings applied, as the portal shows
/// the holder's posts to others.
#[component]
fn PostsPreview(
    friends: Vec<crate::data::FriendRef>,
    delete: ServerAction<DeleteItem>,
) -> impl IntoView {
    let texts = use_texts();
    let preview = Action::new(|viewer: &String| preview_posts(viewer.clone()));
    view! {
        <details class="preview" data-testid="posts-preview">
            <summary>{move || texts.get().term("preview_title")}</summary>
            <div class="field narrow-select">
                <label for="preview-viewer">{move || texts.get().term("preview_as")}</label>
                <select id="preview-viewer" data-testid="preview-viewer" on:change=move |ev| {
                    let viewer = event_target_value(&ev);
                    if !viewer.is_empty() {
                        preview.dispatch(viewer);
                    }
                }>
                    <option value="">"—"</option>
                    <option value="stranger">{move || texts.get().term("preview_stranger")}</option>
                    {friends.into_iter().map(|f| view! { <option value=f.id.clone()>{f.name.clone()}</option> }).collect_view()}
                </select>
            </div>
            {move || preview.value().get().map(|result| match result {
                Ok(page) => {
                    let count = page.items.len();
                    view! {
                        <p role="status" data-testid="preview-count">{move || texts.get().term("preview_count")} " " <strong>{count}</strong></p>
                        <ItemList items=page.items zone=page.time_zone category=page.category.as_str().to_owned() delete/>
                    }.into_any()
                }
                Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
            })}
        </details>
    }
}

/// Adds an emergency contact; asks for the password when needed.
#[component]
fn ContactForm(action: ServerAction<AddEmergencyContact>) -> impl IntoView {
    let texts = use_texts();
    let name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let problem = Signal::derive(move || failure(action.value().get()));
    let field_error = move |field: &'static str| server_field_error(field, problem);
    // Added: the form is ready for the next contact.
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            name.set(String::new());
            mobile.set(String::new());
        }
    });
    view! {
        <form class="stack data-form" novalidate data-testid="contact-form" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            action.dispatch(AddEmergencyContact { name: name.get_untracked(), mobile: mobile.get_untracked() });
        }>
            <h2>{move || texts.get().term("add_emergency_contact")}</h2>
            <div class="inline-fields">
                <div class="field">
                    <label for="contact-name">{move || texts.get().term("name")}</label>
                    <input id="contact-name" type="text" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p class="field-error" role="alert">{field_error("name")}</p>
                </div>
                <div class="field">
                    <label for="contact-mobile">{move || texts.get().term("contact_mobile")}</label>
                    <input id="contact-mobile" type="tel" autocomplete="off" prop:value=mobile on:input=move |ev| mobile.set(event_target_value(&ev))/>
                    <p class="field-error" role="alert">{field_error("mobile")}</p>
                </div>
            </div>
            <ReauthPrompt problem/>
            <div class="actions">
                <button type="submit" class="button secondary" data-testid="add-contact" disabled=move || action.pending().get()>{move || texts.get().term("add")}</button>
            </div>
        </form>
    }
}

/// "Clear all" with its confirm step.
#[component]
fn ClearButton(category: String, action: ServerAction<ClearCategory>) -> impl IntoView {
    let texts = use_texts();
    let asking = RwSignal::new(false);
    view! {
        <Show when=move || asking.get() fallback=move || view! {
            <button type="button" class="button secondary" data-testid="clear-all" on:click=move |_| asking.set(true)>
                {move || texts.get().term("clear_all")}
            </button>
        }>
            {
                let category = category.clone();
                view! {
                    <div class="confirm">
                        <p>{move || texts.get().term("confirm_clear")}</p>
                        <button type="button" class="button danger" data-testid="confirm-clear" on:click={
                            let category = category.clone();
                            move |_| {
                                action.dispatch(ClearCategory { category: category.clone() });
                                asking.set(false);
                            }
                        }>{move || texts.get().term("confirm_yes_clear")}</button>
                        " "
                        <button type="button" class="button secondary" on:click=move |_| asking.set(false)>
                            {move || texts.get().term("cancel")}
                        </button>
                    </div>
                }
            }
        </Show>
    }
}

/// Asks for the password when the server answered `reauth_required`.
#[component]
pub(super) fn ReauthPrompt(problem: Signal<Option<AppError>>) -> impl IntoView {
    let texts = use_texts();
    let confirm = ServerAction::<ConfirmPassword>::new();
    let password = RwSignal::new(String::new());
    let done = move || matches!(confirm.value().get(), Some(Ok(())));
    let needed = move || {
        problem.get().is_some_and(|e| e.code == "reauth_required")
            || confirm.value().get().is_some()
    };
    let error = move || failure(confirm.value().get()).map(|e| error_text(texts.get(), &e));
    view! {
        <Show when=needed>
            <div class="notice" data-testid="reauth">
                <Show when=move || !done() fallback=move || view! { <p role="status">{move || texts.get().term("reauth_done")}</p> }>
                    <form class="inline-fields" novalidate on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        confirm.dispatch(ConfirmPassword { password: password.get_untracked() });
                    }>
                        <div class="field">
                            <label for="reauth-password">{move || texts.get().term("reauth_prompt")}</label>
                            <input id="reauth-password" type="password" autocomplete="current-password"
                                prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                            <p class="field-error" role="alert">{error}</p>
                        </div>
                        <button type="submit" class="button" data-testid="reauth-submit">{move || texts.get().term("reauth_submit")}</button>
                    </form>
                </Show>
            </div>
        </Show>
    }
}

/// The profile or security fields as a form; only changed fields are sent.
#[component]
fn CorrectionForm(page: DataPage, action: ServerAction<CorrectFields>) -> impl IntoView {
    let texts = use_texts();
    let Some(record) = page.items.first().cloned() else {
        return ().into_any();
    };
    let editable: &[&str] = if page.category == Category::Profile {
        &[
            "account_id",
            "qr_code",
            "display_name",
            "photo",
            "gender",
            "region",
            "signature",
            "address",
            "time_zone",
        ]
    } else {
        &["email", "mobile", "linked_qq"]
    };
    let fields: Vec<(&'static str, String, RwSignal<String>)> = editable
        .iter()
        .map(|key| {
            let value = record
                .fields
                .iter()
                .find(|f| f.key == *key)
                .map(|f| f.value.clone())
                .unwrap_or_default();
            (*key, value.clone(), RwSignal::new(value))
        })
        .collect();
    let problem = Signal::derive(move || failure(action.value().get()));
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    let field_error = move |field: &'static str| {
        move || {
            problem
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let submit_fields = fields.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let corrections: Vec<Correction> = submit_fields
            .iter()
            .filter(|(_, before, now)| *before != now.get_untracked())
            .map(|(key, _, now)| {
                let value = now.get_untracked();
                Correction {
                    field: (*key).to_owned(),
                    value: (!value.trim().is_empty()).then_some(value),
                }
            })
            .collect();
        if !corrections.is_empty() {
            action.dispatch(CorrectFields { corrections });
        }
    };
    // A fixed field refused: offer a correction request to the privacy officer.
    let file = ServerAction::<FileRequest>::new();
    let immutable = move || {
        problem
            .get()
            .filter(|e| e.code == "field_immutable")
            .and_then(|e| e.field)
    };
    let offer_fields = fields.clone();
    let offer = move || {
        immutable().map(|field| {
            let wanted = offer_fields
                .iter()
                .find(|(k, _, _)| *k == field)
                .map(|(_, _, now)| now.get_untracked())
                .unwrap_or_default();
            let ask = move |_| {
                let details = format!("Please correct my {field} to: {wanted}");
                file.dispatch(FileRequest {
                    request: NewRequest {
                        kind: domain::requests::RequestKind::Correction.as_str().into(),
                        channel: "in_app".into(),
                        details,
                        contact_email: None,
                        verification: None,
                        category: None,
                        reaccess: None,
                    },
                    idempotency_key: Some(format!("correct-{field}-{}", OffsetDateTime::now_utc().unix_timestamp())),
                });
            };
            view! {
                <div class="notice" data-testid="officer-offer">
                    <p>{move || texts.get().term("immutable_offer")}</p>
                    <button type="button" class="button secondary" data-testid="ask-officer" on:click=ask disabled=move || file.pending().get()>
                        {move || texts.get().term("ask_officer")}
                    </button>
                </div>
            }
        })
    };
    let filed = move || {
        file.value().get().and_then(Result::ok).map(|f| {
            view! { <p class="notice" role="status" data-testid="correction-filed">{move || texts.get().term("correction_filed")} " " <strong>{f.ack.clone()}</strong></p> }
        })
    };
    view! {
        <form class="stack data-form" novalidate on:submit=on_submit data-testid="correction-form">
            {fields.into_iter().map(|(key, _, value)| {
                let hint = matches!(key, "account_id" | "qr_code").then(|| view! { <p class="hint">{move || texts.get().term("fixed_field")}</p> });
                let input = if key == "gender" {
                    view! {
                        <select id=key on:change=move |ev| value.set(event_target_value(&ev))>
                            {["", "female", "male", "unspecified"].into_iter().map(|g| {
                                view! { <option value=g selected=move || value.get() == g>{move || if g.is_empty() { "—".to_owned() } else { texts.get().term(g) }}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any()
                } else if key == "address" {
                    view! { <textarea id=key rows="2" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea> }.into_any()
                } else {
                    view! { <input id=key type="text" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))
                        aria-invalid=move || field_error(key)().is_some().then_some("true")/> }.into_any()
                };
                view! {
                    <div class="field">
                        <label for=key>{move || texts.get().term(key)}</label>
                        {hint}
                        {input}
                        <p class="field-error" role="alert" data-testid=format!("{key}-error")>{field_error(key)}</p>
                    </div>
                }
            }).collect_view()}
            <ReauthPrompt problem/>
            {offer}
            {filed}
            <p class="form-alert" role="alert">{move || problem.get().filter(|e| e.field.is_none() && e.code != "reauth_required").map(|e| error_text(texts.get(), &e))}</p>
            <Show when=saved><p role="status" class="saved" data-testid="saved">{move || texts.get().term("saved")}</p></Show>
            <div class="actions">
                <button type="submit" class="button" data-testid="save" disabled=move || action.pending().get()>{move || texts.get().term("save")}</button>
            </div>
        </form>
    }
    .into_any()
}

/// One yes/no privacy setting, reached in the settings.
type Toggle = fn(&mut domain::data::PrivacySettings) -> &mut bool;

/// The privacy settings of Weixin guideline §6.7.
#[component]
fn SettingsFields(view: SettingsView, action: ServerAction<SavePrivacySettings>) -> impl IntoView {
    let texts = use_texts();
    let current = RwSignal::new(view.clone());
    let friends = view.friends.clone();
    let toggles: [(&'static str, Toggle); 8] = [
        ("friend_confirmation", |s| &mut s.friend_confirmation),
        ("find_by_mobile", |s| &mut s.find_by_mobile),
        ("find_by_wechat_id", |s| &mut s.find_by_wechat_id),
        ("find_by_qq", |s| &mut s.find_by_qq),
        ("find_by_qr_code", |s| &mut s.find_by_qr_code),
        ("find_by_group_chat", |s| &mut s.find_by_group_chat),
        ("find_by_name_card", |s| &mut s.find_by_name_card),
        ("strangers_see_recent", |s| &mut s.strangers_see_recent),
    ];
    let problem = move || failure(action.value().get()).map(|e| error_text(texts.get(), &e));
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    let list = move |name: &'static str, friends: Vec<crate::data::FriendRef>| {
        view! {
            <fieldset class="friend-list">
                <legend>{move || texts.get().term(name)}</legend>
                {friends.into_iter().map(|f| {
                    let id = f.id.clone();
                    let id_change = f.id.clone();
                    let input_id = format!("{name}-{}", f.id);
                    let label_for = input_id.clone();
                    view! {
                        <label class="checkbox" for=label_for>
                            <input type="checkbox" id=input_id
                                prop:checked=move || {
                                    let v = current.get();
                                    let on = if name == "dont_share" { &v.dont_share } else { &v.hide };
                                    on.contains(&id)
                                }
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    current.update(|v| {
                                        let on = if name == "dont_share" { &mut v.dont_share } else { &mut v.hide };
                                        on.retain(|x| *x != id_change);
                                        if checked { on.push(id_change.clone()); }
                                    });
                                }/>
                            " " {f.name.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
    };
    view! {
        <form class="stack data-form" novalidate data-testid="settings-form" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            action.dispatch(SavePrivacySettings { settings: current.get_untracked() });
        }>
            <fieldset>
                <legend>{move || texts.get().term("settings_find")}</legend>
                {toggles.into_iter().map(|(key, get)| view! {
                    <label class="checkbox" for=key>
                        <input type="checkbox" id=key data-testid=format!("setting-{key}")
                            prop:checked=move || { let mut s = current.get().settings; *get(&mut s) }
                            on:change=move |ev| { let on = event_target_checked(&ev); current.update(|v| *get(&mut v.settings) = on); }/>
                        " " {move || texts.get().term(key)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="posts_window">{move || texts.get().term("posts_window")}</label>
                <select id="posts_window" data-testid="setting-posts_window" on:change=move |ev| {
                    if let Some(w) = PostsWindow::parse(&event_target_value(&ev)) {
                        current.update(|v| v.settings.posts_window = w);
                    }
                }>
                    {PostsWindow::ALL.into_iter().map(|w| view! {
                        <option value=w.as_str() selected=move || current.get().settings.posts_window == w>{move || texts.get().term(w.as_str())}</option>
                    }).collect_view()}
                </select>
            </div>
            {list("dont_share", friends.clone())}
            {list("hide", friends)}
            <p class="form-alert" role="alert">{problem}</p>
            <Show when=saved><p role="status" class="saved" data-testid="saved">{move || texts.get().term("saved")}</p></Show>
            <div class="actions">
                <button type="submit" class="button" data-testid="save-settings" disabled=move || action.pending().get()>{move || texts.get().term("save")}</button>
            </div>
        </form>
    }
}
