//! Logs as tables (sign-ins, devices, location points, contacts, cards,
//! notifications, steps): a column per field, sortable by any column,
//! compact rows, each with its delete step; on a phone each row stacks
//! into labelled lines.

use super::shown_value;
use crate::data::{DataItem, DeleteItem};
use crate::i18n::use_texts;
use domain::deadlines::format_local;
use leptos::prelude::*;
use std::cmp::Ordering;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// The categories shown as tables.
pub const TABLED: [&str; 7] = [
    "sign_ins",
    "devices",
    "location",
    "contacts",
    "cards",
    "notifications",
    "steps",
];

/// Which column sorts, and whether ascending. Column 0 is the time.
pub type SortBy = RwSignal<(usize, bool)>;

/// The columns of a page: the time, then every field key in the order it
/// first appears.
#[must_use]
pub fn columns(items: &[DataItem]) -> Vec<String> {
    let mut keys: Vec<String> = vec!["when".to_owned()];
    for item in items {
        for field in &item.fields {
            if !keys.contains(&field.key) {
                keys.push(field.key.clone());
            }
        }
    }
    keys
}

/// Numbers compare as numbers, the rest as text; missing values last.
#[must_use]
pub fn compare(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => a.cmp(b),
        },
    }
}

fn sort_key<'a>(item: &'a DataItem, column: &str) -> Option<&'a str> {
    if column == "when" {
        item.at.as_deref().or(item.day.as_deref())
    } else {
        item.fields
            .iter()
            .find(|f| f.key == column)
            .map(|f| f.value.as_str())
    }
}

/// Sorts `items` by column `index` of `columns`.
pub fn sort_items(items: &mut [DataItem], columns: &[String], (index, ascending): (usize, bool)) {
    let Some(column) = columns.get(index) else {
        return;
    };
    items.sort_by(|a, b| {
        // Missing values stay last either way.
        let (ka, kb) = (sort_key(a, column), sort_key(b, column));
        match (ka, kb) {
            (Some(_), Some(_)) if !ascending => compare(kb, ka),
            _ => compare(ka, kb),
        }
    });
}

/// The items as a table.
#[component]
pub fn DataTable(
    items: Vec<DataItem>,
    zone: String,
    category: String,
    delete: ServerAction<DeleteItem>,
    sort: SortBy,
) -> impl IntoView {
    let texts = use_texts();
    let columns = columns(&items);
    let deletable = items.iter().any(|i| i.deletable);
    let confirming = RwSignal::new(None::<String>);
    let name = category.clone();
    let header = columns
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let key = key.clone();
            let aria_sort = move || {
                let (by, ascending) = sort.get();
                if by != index {
                    "none"
                } else if ascending {
                    "ascending"
                } else {
                    "descending"
                }
            };
            let arrow = move || {
                let (by, ascending) = sort.get();
                if by != index {
                    ""
                } else if ascending {
                    " ▲"
                } else {
                    " ▼"
                }
            };
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <button type="button" class="sort" data-testid=format!("sort-{key}")
                        on:click=move |_| sort.update(|(by, ascending)| {
                            if *by == index { *ascending = !*ascending } else { *by = index; *ascending = index != 0 }
                        })>
                        {let key = key.clone(); move || texts.get().term(&key)}
                        <span aria-hidden="true">{arrow}</span>
                    </button>
                </th>
            }
        })
        .collect_view();
    let rows = move || {
        let mut items = items.clone();
        sort_items(&mut items, &columns, sort.get());
        items
            .into_iter()
            .map(|item| {
                let zone = zone.clone();
                let when = item
                    .at
                    .as_deref()
                    .and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok())
                    .map(|at| format_local(at, &zone))
                    .or(item.day.clone())
                    .unwrap_or_default();
                let cells = columns
                    .iter()
                    .skip(1)
                    .map(|key| {
                        let value = item
                            .fields
                            .iter()
                            .find(|f| f.key == *key)
                            .map(|f| f.value.clone());
                        let (label_key, key, zone) = (key.clone(), key.clone(), zone.clone());
                        let numeric = value.as_deref().is_some_and(|v| v.parse::<f64>().is_ok());
                        view! {
                            <td class:number=numeric data-label=move || texts.get().term(&label_key)>
                                {move || value.as_deref().map(|v| shown_value(texts.get(), &key, v, &zone)).unwrap_or_else(|| "—".to_owned())}
                            </td>
                        }
                    })
                    .collect_view();
                let id = item.id.clone();
                let category = category.clone();
                let actions = item.deletable.then(|| {
                    let (id_ask, id_show, id_confirm) = (id.clone(), id.clone(), id.clone());
                    view! {
                        <Show when=move || confirming.get().as_deref() == Some(id_show.as_str()) fallback=move || {
                            let id = id_ask.clone();
                            view! {
                                <button type="button" class="button secondary small" data-testid="delete"
                                    on:click=move |_| confirming.set(Some(id.clone()))>
                                    {move || texts.get().term("delete")}
                                </button>
                            }
                        }>
                            <div class="confirm" role="group" aria-label=move || texts.get().term("confirm_delete")>
                                <p>{move || texts.get().term("confirm_delete")}</p>
                                <button type="button" class="button danger small" data-testid="confirm-delete"
                                    disabled=move || delete.pending().get()
                                    on:click={
                                        let (id, category) = (id_confirm.clone(), category.clone());
                                        move |_| {
                                            delete.dispatch(DeleteItem { category: category.clone(), id: id.clone() });
                                            confirming.set(None);
                                        }
                                    }>
                                    {move || texts.get().term("confirm_yes_delete")}
                                </button>
                                " "
                                <button type="button" class="button secondary small" on:click=move |_| confirming.set(None)>
                                    {move || texts.get().term("cancel")}
                                </button>
                            </div>
                        </Show>
                    }
                });
                view! {
                    <tr data-testid="data-item" data-id=id.clone()>
                        <th scope="row" data-label=move || texts.get().term("when")>
                            <time>{when}</time>
                        </th>
                        {cells}
                        {deletable.then(|| view! { <td class="row-actions" data-label=move || texts.get().term("actions")>{actions}</td> })}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || {
            domain::data::Category::parse(&name).map_or_else(String::new, |c| texts.get().category_name(c).to_owned())
        }>
            <table class="data-table" data-testid="data-table">
                <thead><tr>
                    {header}
                    {deletable.then(|| view! { <th scope="col"><span class="visually-hidden">{move || texts.get().term("actions")}</span></th> })}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataField;

    fn item(id: &str, at: &str, fields: &[(&str, &str)]) -> DataItem {
        DataItem {
            id: id.into(),
            at: Some(at.into()),
            day: None,
            fields: fields
                .iter()
                .map(|(k, v)| DataField {
                    key: (*k).into(),
                    value: (*v).into(),
                })
                .collect(),
            deletable: true,
        }
    }

    #[test]
    fn columns_follow_the_fields_and_sort_by_kind() {
        let mut items = vec![
            item(
                "a",
                "2026-11-03T00:00:00Z",
                &[("accuracy_m", "9"), ("latitude", "22.5")],
            ),
            item("b", "2026-11-01T00:00:00Z", &[("accuracy_m", "10")]),
            item(
                "c",
                "2026-11-02T00:00:00Z",
                &[("accuracy_m", "100"), ("latitude", "22.4")],
            ),
        ];
        let cols = columns(&items);
        assert_eq!(cols, ["when", "accuracy_m", "latitude"]);
        let ids = |items: &[DataItem]| items.iter().map(|i| i.id.clone()).collect::<String>();
        sort_items(&mut items, &cols, (1, true));
        assert_eq!(ids(&items), "abc", "9 < 10 < 100 as numbers");
        sort_items(&mut items, &cols, (1, false));
        assert_eq!(ids(&items), "cba");
        sort_items(&mut items, &cols, (2, true));
        assert_eq!(ids(&items), "cab", "the missing latitude last");
        sort_items(&mut items, &cols, (2, false));
        assert_eq!(ids(&items), "acb", "…also descending");
        sort_items(&mut items, &cols, (0, false));
        assert_eq!(ids(&items), "acb", "newest first");
        sort_items(&mut items, &cols, (0, true));
        assert_eq!(ids(&items), "bca");
    }
}
