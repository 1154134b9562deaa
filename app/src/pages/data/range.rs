//! The range bar of a dated category: from and to (days in the holder's
//! time zone, in the URL so a narrowed page can be bookmarked), a text for
//! messages and posts, and the deletion of a range in one confirmed action.

use crate::auth::failure;
use crate::components::error_text;
use crate::data::{DataFilter, DeleteDataRange};
use crate::error::AppError;
use crate::i18n::use_texts;
use domain::data::Category;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::use_navigate;

/// The page's URL for a filter (empty parts left out).
#[must_use]
pub fn filter_href(category: &str, filter: &DataFilter) -> String {
    let parts: Vec<String> = [
        ("conversation", &filter.conversation),
        ("from", &filter.from),
        ("to", &filter.to),
        ("q", &filter.q),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| format!("{key}={}", urlencoding_light(v)))
    })
    .collect();
    if parts.is_empty() {
        format!("/data/{category}")
    } else {
        format!("/data/{category}?{}", parts.join("&"))
    }
}

/// Percent-encodes what a query value must not carry raw.
fn urlencoding_light(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The from/to (and text) form, and the range deletion when allowed.
#[component]
pub fn RangeBar(
    category: Category,
    filter: Signal<DataFilter>,
    /// The page's refusal, shown next to the field it names.
    error: Signal<Option<AppError>>,
    delete_range: ServerAction<DeleteDataRange>,
) -> impl IntoView {
    let texts = use_texts();
    let navigate = use_navigate();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    // The fields follow the URL (back and forward included).
    Effect::new(move |_| {
        let f = filter.get();
        from.set(f.from.unwrap_or_default());
        to.set(f.to.unwrap_or_default());
        q.set(f.q.unwrap_or_default());
    });
    let name = category.as_str();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = DataFilter {
            conversation: filter.get_untracked().conversation,
            from: Some(from.get_untracked()),
            to: Some(to.get_untracked()),
            q: Some(q.get_untracked()),
        };
        navigate(&filter_href(name, &wanted), Default::default());
    };
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            error
                .get()
                .is_some_and(|e| e.field.as_deref() == Some(field))
                .then_some("true")
        }
    };
    let narrowed = move || {
        let f = filter.get();
        f.from.is_some() || f.to.is_some() || f.q.is_some()
    };
    let everything = move || {
        filter_href(
            name,
            &DataFilter {
                conversation: filter.get().conversation,
                ..DataFilter::default()
            },
        )
    };
    let ranged = move || {
        let f = filter.get();
        error.get().is_none()
            && [f.from, f.to]
                .iter()
                .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()))
    };
    let asking = RwSignal::new(false);
    let deleted = move || {
        delete_range
            .value()
            .get()
            .and_then(Result::ok)
            .map(|n| texts.get().cleared_items(n))
    };
    let delete_error =
        move || failure(delete_range.value().get()).map(|e| error_text(texts.get(), &e));
    view! {
        <form class="range-bar" method="get" action=format!("/data/{name}") novalidate
            on:submit=on_submit data-testid="range-form">
            <fieldset>
                <legend>{move || texts.get().term("range_legend")}</legend>
                {move || filter.get().conversation.map(|c| view! { <input type="hidden" name="conversation" value=c/> })}
                <div class="field">
                    <label for="range-from">{move || texts.get().term("range_from")}</label>
                    <input id="range-from" name="from" type="date" min="1970-01-01" max="2999-12-31"
                        data-testid="range-from" prop:value=from aria-invalid=invalid("from")
                        aria-describedby="range-from-error"
                        on:input=move |ev| from.set(event_target_value(&ev))/>
                    <p class="field-error" id="range-from-error" role="alert">{field_error("from")}</p>
                </div>
                <div class="field">
                    <label for="range-to">{move || texts.get().term("range_to")}</label>
                    <input id="range-to" name="to" type="date" min="1970-01-01" max="2999-12-31"
                        data-testid="range-to" prop:value=to aria-invalid=invalid("to")
                        aria-describedby="range-to-error"
                        on:input=move |ev| to.set(event_target_value(&ev))/>
                    <p class="field-error" id="range-to-error" role="alert">{field_error("to")}</p>
                </div>
                {category.searchable().then(|| view! {
                    <div class="field">
                        <label for="range-q">{move || texts.get().term("range_search")}</label>
                        <input id="range-q" name="q" type="search" maxlength="100"
                            data-testid="range-q" prop:value=q aria-invalid=invalid("q")
                            aria-describedby="range-q-error"
                            on:input=move |ev| q.set(event_target_value(&ev))/>
                        <p class="field-error" id="range-q-error" role="alert">{field_error("q")}</p>
                    </div>
                })}
                <div class="actions">
                    <button type="submit" class="button" data-testid="range-show">{move || texts.get().term("range_show")}</button>
                    <Show when=narrowed>
                        <a class="button secondary" href=everything data-testid="range-all">{move || texts.get().term("range_all")}</a>
                    </Show>
                </div>
            </fieldset>
        </form>
        {category.clearable().then(|| view! {
            <Show when=ranged>
                <Show when=move || asking.get() fallback=move || view! {
                    <button type="button" class="button secondary" data-testid="range-delete"
                        on:click=move |_| asking.set(true)>
                        {move || texts.get().term("range_delete")}
                    </button>
                }>
                    <div class="confirm" role="group" aria-label=move || texts.get().term("range_delete")>
                        <p>{move || texts.get().term("range_delete_confirm")}</p>
                        <button type="button" class="button danger" data-testid="range-delete-confirm"
                            disabled=move || delete_range.pending().get()
                            on:click=move |_| {
                                let f = filter.get_untracked();
                                delete_range.dispatch(DeleteDataRange { category: name.to_owned(), from: f.from, to: f.to });
                                asking.set(false);
                            }>
                            {move || texts.get().term("range_delete_yes")}
                        </button>
                        " "
                        <button type="button" class="button secondary" on:click=move |_| asking.set(false)>
                            {move || texts.get().term("cancel")}
                        </button>
                    </div>
                </Show>
            </Show>
        })}
        <p role="status" class="saved" data-testid="range-deleted">{deleted}</p>
        <p class="form-alert" role="alert">{delete_error}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_carry_only_what_narrows() {
        let f = |from: &str, to: &str, q: &str| DataFilter {
            conversation: None,
            from: Some(from.into()),
            to: Some(to.into()),
            q: Some(q.into()),
        };
        assert_eq!(filter_href("steps", &DataFilter::default()), "/data/steps");
        assert_eq!(filter_href("steps", &f("", " ", "")), "/data/steps");
        assert_eq!(
            filter_href("messages", &f("2026-01-01", "2026-01-31", "tea & 50%")),
            "/data/messages?from=2026-01-01&to=2026-01-31&q=tea%20%26%2050%25"
        );
        assert_eq!(
            filter_href("messages", &f("", "", "早上好")),
            "/data/messages?q=%E6%97%A9%E4%B8%8A%E5%A5%BD"
        );
    }
}
