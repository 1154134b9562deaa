//! The WebAssembly entry point: hydrates the server-rendered page.

// `hydrate_lazy(App)` instantiates the whole view type of `app` here; built
// without `erase_components` (clippy) it nests past rustc's default query
// depth, as in `app` itself.
#![recursion_limit = "512"]

/// Called by the generated JavaScript once the wasm module is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (app::routes) hydrate once their split file has loaded.
    leptos::mount::hydrate_lazy(app::App);
}
