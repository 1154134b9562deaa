//! `/exports`: ask for the whole account or chosen categories as one ZIP,
//! watch it being prepared (the bar moves without reloading), enter the
//! password again and download it within 7 days (DESIGN §2; PIPL art. 45).

use crate::auth::{Me, failure};
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::data::ConfirmPassword;
use crate::exports::{ExportView, NewExport, RemoveExport, StartExport, my_exports};
use crate::i18n::use_texts;
use domain::Role;
use domain::data::Category;
use domain::export::{ExportOrigin, ExportStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

/// The export page.
#[component]
pub fn ExportsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=exports_page/> }
}

/// A size people read.
fn readable_size(bytes: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if b >= 1_048_576.0 {
        format!("{:.1} MB", b / 1_048_576.0)
    } else if b >= 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn status_key(status: ExportStatus) -> &'static str {
    match status {
        ExportStatus::Queued => "export_status_queued",
        ExportStatus::Building => "export_status_building",
        ExportStatus::Ready => "export_status_ready",
        ExportStatus::Expired => "export_status_expired",
        ExportStatus::Failed => "export_status_failed",
    }
}

fn exports_page(_me: Me) -> AnyView {
    let texts = use_texts();
    let start = ServerAction::<StartExport>::new();
    let remove = ServerAction::<RemoveExport>::new();
    let confirm = ServerAction::<ConfirmPassword>::new();
    let tick = RwSignal::new(0_u32);
    let list = Resource::new(
        move || (start.version().get(), remove.version().get(), tick.get()),
        |_| my_exports(),
    );
    // While one is being prepared, look again every second.
    Effect::new(move |_| {
        if list
            .get()
            .and_then(Result::ok)
            .is_some_and(|l| l.iter().any(|e| e.status.is_running()))
        {
            set_timeout(
                move || tick.update(|t| *t = t.wrapping_add(1)),
                std::time::Duration::from_secs(1),
            );
        }
    });
    let whole = RwSignal::new(true);
    let chosen = RwSignal::new(Vec::<Category>::new());
    let password = RwSignal::new(String::new());
    let unlocked = move || matches!(confirm.value().get(), Some(Ok(())));
    let problem = move || failure(start.value().get()).map(|e| error_text(texts.get(), &e));
    let reauth_error = move || failure(confirm.value().get()).map(|e| error_text(texts.get(), &e));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let categories = (!whole.get_untracked()).then(|| chosen.get_untracked());
        start.dispatch(StartExport {
            new: NewExport { categories },
        });
    };
    view! {
        <Title text=crate::components::page_title(move || texts.get().term("exports_title"))/>
        <section data-testid="exports">
            <h1>{move || texts.get().term("exports_title")}</h1>
            <p class="lead">{move || texts.get().term("exports_intro")}</p>
            <form class="card export-form" novalidate on:submit=submit>
                <fieldset>
                    <legend>{move || texts.get().term("exports_scope")}</legend>
                    <label class="choice">
                        <input type="radio" name="scope" value="whole" data-testid="export-whole"
                            prop:checked=whole on:change=move |_| whole.set(true)/>
                        {move || texts.get().term("exports_whole")}
                    </label>
                    <label class="choice">
                        <input type="radio" name="scope" value="chosen" data-testid="export-chosen"
                            prop:checked=move || !whole.get() on:change=move |_| whole.set(false)/>
                        {move || texts.get().term("exports_chosen")}
                    </label>
                </fieldset>
                <Show when=move || !whole.get()>
                    <fieldset class="category-choices" data-testid="export-categories">
                        <legend>{move || texts.get().term("exports_choose")}</legend>
                        {Category::ALL.into_iter().map(|category| view! {
                            <label class="choice">
                                <input type="checkbox" name="categories" value=category.as_str()
                                    prop:checked=move || chosen.get().contains(&category)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|x| *x != category);
                                            if on { c.push(category); }
                                        });
                                    }/>
                                {move || texts.get().category_name(category)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                </Show>
                <p class="form-alert" role="alert" data-testid="export-error">{problem}</p>
                <button type="submit" class="button" data-testid="export-start"
                    disabled=move || start.pending().get()>
                    {move || texts.get().term("exports_start")}
                </button>
            </form>
            <h2>{move || texts.get().term("exports_list")}</h2>
            <Transition fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(exports) if exports.is_empty() => view! {
                            <p data-testid="exports-none">{move || texts.get().term("exports_none")}</p>
                        }.into_any(),
                        Ok(exports) => {
                            let any_ready = exports.iter().any(|e| e.status == ExportStatus::Ready);
                            view! {
                                <Show when=move || any_ready && !unlocked()>
                                    <form class="notice inline-fields" data-testid="export-reauth" novalidate on:submit=move |ev: SubmitEvent| {
                                        ev.prevent_default();
                                        confirm.dispatch(ConfirmPassword { password: password.get_untracked() });
                                    }>
                                        <div class="field">
                                            <label for="export-password">{move || texts.get().term("exports_reauth")}</label>
                                            <input id="export-password" type="password" autocomplete="current-password"
                                                prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                                            <p class="field-error" role="alert">{reauth_error}</p>
                                        </div>
                                        <button type="submit" class="button" data-testid="export-reauth-submit">{move || texts.get().term("reauth_submit")}</button>
                                    </form>
                                </Show>
                                <ul class="export-list">
                                    {exports.into_iter().map(|e| view! { <ExportRow e remove unlocked=Signal::derive(unlocked)/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn ExportRow(
    e: ExportView,
    remove: ServerAction<RemoveExport>,
    unlocked: Signal<bool>,
) -> impl IntoView {
    let texts = use_texts();
    let status = e.status;
    let progress = e.progress;
    let id = e.id.clone();
    let categories = e.categories.clone();
    let scope = move || {
        if e.whole_account {
            texts.get().term("exports_whole")
        } else {
            categories
                .iter()
                .map(|c| texts.get().category_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let ack =
        (e.origin == ExportOrigin::Request).then(|| e.request_ack.clone().unwrap_or_default());
    let url = e.download_url.as_deref().map(crate::transport::portal_url);
    let expires = e.expires_at.clone();
    let size = e.size_bytes.map(readable_size);
    view! {
        <li class="card export" data-testid="export" data-status=status.as_str()>
            <dl class="fields">
                <div><dt>{move || texts.get().term("exports_made")}</dt><dd>{super::requests::local(&e.created_at)}</dd></div>
                <div><dt>{move || texts.get().term("exports_scope")}</dt><dd>{scope}</dd></div>
                {ack.map(|ack| view! {
                    <div><dt>{move || texts.get().term("exports_from_request")}</dt><dd>{ack}</dd></div>
                })}
                <div><dt>{move || texts.get().status_label}</dt>
                    <dd data-testid="export-status">{move || texts.get().term(status_key(status))}</dd></div>
                <div><dt id=format!("progress-{id}")>{move || texts.get().term("exports_progress")}</dt>
                    <dd class="progress-line">
                        <progress max="100" value=progress.to_string() aria-labelledby=format!("progress-{id}") data-testid="export-progress"></progress>
                        " " <span data-testid="export-percent">{format!("{progress}%")}</span>
                    </dd></div>
                {expires.filter(|_| status == ExportStatus::Ready).map(|at| view! {
                    <div><dt>{move || texts.get().term("exports_expires")}</dt><dd>{super::requests::local(&at)}</dd></div>
                })}
                {size.map(|s| view! {
                    <div><dt>{move || texts.get().term("exports_size")}</dt><dd>{s}</dd></div>
                })}
            </dl>
            <div class="actions">
                {url.map(|url| view! {
                    <Show when=move || unlocked.get()>
                        <a class="button" href=url.clone() download="" rel="external" data-testid="export-download">
                            {move || texts.get().term("exports_download")}
                        </a>
                    </Show>
                })}
                {
                    let id = e.id.clone();
                    view! {
                        <button type="button" class="button secondary" data-testid="export-remove"
                            on:click=move |_| { remove.dispatch(RemoveExport { id: id.clone() }); }>
                            {move || texts.get().term(if status.is_running() { "exports_cancel" } else { "exports_remove" })}
                        </button>
                    }
                }
            </div>
        </li>
    }
}
