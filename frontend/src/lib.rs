//! The WebAssembly entry points: `hydrate` takes over the page the portal
//! rendered (cargo-leptos, feature `hydrate`); the static build (Trunk.toml,
//! feature `csr`) renders the app into an empty page and talks to the portal
//! on another origin.

// `hydrate_lazy(App)` instantiates the whole view type of `app` here; built
// without `erase_components` (clippy) it nests past rustc's default query
// depth, as in `app` itself.
#![recursion_limit = "512"]

/// Called by the generated JavaScript once the wasm module is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // As `leptos::mount::hydrate_lazy`, then the mark: lazy routes
    // (app::routes) hydrate once their split file has loaded, and the page is
    // live only when they have.
    // (`hydrate_from_async` starts Leptos's executor itself.)
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        let handle = leptos::mount::hydrate_from_async(body, app::App).await;
        app::mark_hydrated();
        handle.forget();
    });
}

/// Runs when the static build's wasm module is loaded: points the server
/// functions at the portal named by `index.html`, then renders the app.
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    match app::transport::portal_origin() {
        Some(origin) => server_fn::client::set_server_url(origin.leak()),
        None => leptos::logging::error!(
            "index.html names no portal: add <meta name=\"portal-origin\" content=\"https://portal.example.com\">"
        ),
    }
    leptos::mount::mount_to_body(app::App);
    app::mark_hydrated();
}
