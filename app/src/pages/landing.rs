//! The start page and the page for unknown addresses.

use crate::auth::home_path;
use crate::components::set_status;
use crate::i18n::use_texts;
use crate::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The start page: what the portal is, and the way in.
#[component]
pub fn LandingPage() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let actions = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(me)) => view! {
                    <A href=home_path(me.role) attr:class="button">{move || texts.get().go_to_home}</A>
                }
                .into_any(),
                _ => view! {
                    <A href="/signup" attr:class="button">{move || texts.get().sign_up}</A>
                    <A href="/login" attr:class="button secondary">{move || texts.get().sign_in}</A>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Title text=crate::components::page_title(|| "")/>
        <section class="hero">
            <h1>{move || texts.get().landing_title}</h1>
            <p class="lead">{move || texts.get().landing_intro}</p>
            <ul class="points">
                {move || texts.get().landing_points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
            </ul>
            <div class="actions">
                <Suspense fallback=|| ()>{actions}</Suspense>
            </div>
        </section>
    }
}

/// Shown for any address without a page; answers 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let texts = use_texts();
    set_status(404);
    view! {
        <Title text=crate::components::page_title(move || texts.get().not_found_title)/>
        <section class="notice-page">
            <h1>{move || texts.get().not_found_title}</h1>
            <p>{move || texts.get().not_found_body}</p>
            <p><A href="/">{move || texts.get().app_name}</A></p>
        </section>
    }
}
