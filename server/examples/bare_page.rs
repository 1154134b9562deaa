//! The baseline of `make load-pages`: a bare Leptos SSR page (the Leptos
//! starter's counter, with router and meta) served by axum through
//! `leptos_axum` as the portal is, so the portal's pages are measured beside
//! what the framework itself costs on the same machine in the same run.
//!
//! Run: `cargo run --profile bench -p server --example bare_page -- 127.0.0.1:3310`

use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router as LeptosRouter, Routes},
    path,
};

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <BareApp/>
            </body>
        </html>
    }
}

#[component]
fn BareApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Welcome to Leptos"/>
        <LeptosRouter>
            <main>
                <Routes fallback=|| "Page not found.".into_view()>
                    <Route path=path!("") view=HomePage/>
                </Routes>
            </main>
        </LeptosRouter>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <h1>"Welcome to Leptos!"</h1>
        <button on:click=move |_| *count.write() += 1>"Click Me: " {count}</button>
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr: std::net::SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3310".into())
        .parse()?;
    let options = LeptosOptions::builder()
        .output_name("bare")
        .site_addr(addr)
        .build();
    let routes = generate_route_list(BareApp);
    let app = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
