//! The WebAssembly entry point: hydrates the server-rendered page.

// `hydrate_body(App)` instantiates the whole view type of `app` here; in the
// release build (no `erase_components`) it nests past rustc's default query
// depth, as in `app` itself.
#![recursion_limit = "512"]

/// Called by the generated JavaScript once the wasm module is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
