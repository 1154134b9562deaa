//! How the browser reaches the portal's server.
//!
//! The portal's own pages are served by the portal, so their server functions
//! and API links are paths on the same origin. The client-rendered build
//! (`Trunk.toml`, feature `csr`) is a static site on another origin: it learns
//! the portal's origin at start ([`portal_origin`]), prefixes server functions
//! with it (`server_fn::client::set_server_url`) and the API links the pages
//! show with it ([`portal_url`]), and sends every server function with the
//! session cookie ([`PortalClient`]). The portal lets exactly that origin in
//! (`PORTAL_STATIC_ORIGIN`: CORS with credentials, and its check of
//! state-changing requests' `Origin`).

use server_fn::{
    Bytes,
    client::{Client, browser::BrowserClient},
    error::FromServerFnError,
    request::browser::BrowserRequest,
    response::browser::BrowserResponse,
};
use std::future::Future;

/// The address of a path on the portal's server: the path itself where the
/// page came from the portal, the portal's origin before it in the static
/// build.
#[must_use]
pub fn portal_url(path: &str) -> String {
    format!("{}{path}", server_fn::client::get_server_url())
}

/// The portal's origin named by the static site's `index.html`
/// (`<meta name="portal-origin" content="https://portal.example.com">`), if
/// it names one that looks like an origin.
#[cfg(feature = "csr")]
#[must_use]
pub fn portal_origin() -> Option<String> {
    let content = leptos::prelude::document()
        .query_selector(r#"meta[name="portal-origin"]"#)
        .ok()
        .flatten()?
        .get_attribute("content")?;
    let origin = content.trim().trim_end_matches('/');
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.contains('/')).then(|| origin.to_owned())
}

/// The server functions' client: the browser's `fetch`, as Leptos sends it,
/// except that the client-rendered build sends it with credentials (the
/// session cookie), which `fetch` leaves out for another origin by default.
pub struct PortalClient;

impl<E, I, O> Client<E, I, O> for PortalClient
where
    E: FromServerFnError,
    I: FromServerFnError,
    O: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        #[cfg(feature = "csr")]
        let req = with_credentials(req);
        <BrowserClient as Client<E, I, O>>::send(req)
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                impl futures::Sink<Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, I, O>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, I, O>>::spawn(future);
    }
}

/// The same request with `credentials: "include"`. The new request takes the
/// old one's method, headers, body and abort signal (the Fetch standard's
/// `new Request(request, init)`); if the browser refuses, the request goes as
/// it was.
#[cfg(feature = "csr")]
fn with_credentials(mut req: BrowserRequest) -> BrowserRequest {
    let Ok(stand_in) = web_sys::Request::new_with_str("about:blank") else {
        return req;
    };
    let original: web_sys::Request = std::mem::replace(&mut *req, stand_in.into()).into();
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Include);
    *req = web_sys::Request::new_with_request_and_init(&original, &init)
        .unwrap_or(original)
        .into();
    req
}
