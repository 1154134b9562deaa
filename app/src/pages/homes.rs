//! The home of each role: the holder's rights, the officer's and the
//! administrator's tasks. Later issues turn each card into its page.

use crate::auth::Me;
use crate::components::{CardGrid, RequireRole};
use crate::i18n::use_texts;
use domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;

/// The account holder's home: every right of DESIGN §2 as an entry.
#[component]
pub fn HolderHomePage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Holder] page=holder_home/> }
}

fn holder_home(me: Me) -> AnyView {
    let texts = use_texts();
    let name = me.display_name.clone();
    view! {
        <Title text=crate::components::page_title(move || texts.get().holder_home_title)/>
        <section data-testid="holder-home">
            <h1>{move || texts.get().holder_home_title}</h1>
            <p class="lead">{move || (texts.get().greeting)(&name)}</p>
            {me.minor.then(|| view! { <p class="notice" role="status">{move || texts.get().minor_notice}</p> })}
            <p>{move || texts.get().holder_home_intro}</p>
            <CardGrid items=Signal::derive(move || &texts.get().rights[..])/>
        </section>
    }
    .into_any()
}

/// The privacy officer's home (administrators may work the register too).
#[component]
pub fn OfficerHomePage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Officer, Role::Admin] page=officer_home/> }
}

fn officer_home(_me: Me) -> AnyView {
    let texts = use_texts();
    view! {
        <Title text=crate::components::page_title(move || texts.get().officer_home_title)/>
        <section data-testid="officer-home">
            <h1>{move || texts.get().officer_home_title}</h1>
            <p class="lead">{move || texts.get().officer_home_intro}</p>
            <CardGrid items=Signal::derive(move || &texts.get().officer_items[..])/>
        </section>
    }
    .into_any()
}

/// The administrator's home.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    view! { <RequireRole allowed=&[Role::Admin] page=admin_home/> }
}

fn admin_home(_me: Me) -> AnyView {
    let texts = use_texts();
    view! {
        <Title text=crate::components::page_title(move || texts.get().admin_home_title)/>
        <section data-testid="admin-home">
            <h1>{move || texts.get().admin_home_title}</h1>
            <p class="lead">{move || texts.get().admin_home_intro}</p>
            <CardGrid items=Signal::derive(move || &texts.get().admin_items[..])/>
        </section>
    }
    .into_any()
}
