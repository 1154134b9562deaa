//! Where pages are rendered: each page, and every task it spawns, on one
//! thread.
//!
//! Leptos 0.8 renders a page's `<Suspense>` boundaries where the response
//! body is polled and resolves its resources in tasks spawned through
//! `any_spawner`, which on a multi-threaded tokio runtime run on other
//! worker threads. A boundary's effect and a resource then take the same two
//! locks in opposite orders, and under load two workers each hold one and
//! wait for the other (leptos-rs/leptos#4673): the runtime's threads stop,
//! and the whole portal with them (`/healthz` too). It happened in 3 of 4
//! runs of 32 connections on `/data/messages`.
//!
//! A lock-order inversion needs two threads. So pages are rendered on a
//! small pool of single-threaded runtimes ([`RenderPool`]), one per core:
//! the request is handed to one of them, the page's tasks are spawned onto
//! that same thread (Leptos spawns with `tokio::spawn`, which on a
//! current-thread runtime stays on it), and the body is polled there too,
//! its chunks handed back through a channel. The REST API, server functions,
//! `/healthz` and background jobs stay on the multi-threaded runtime.
//!
//! One thread per render has a trap of its own: a resource read with `.get()`
//! by two boundaries (the data page's range bar and its Transition) made
//! Leptos re-check a boundary without end (leptos#4578); the data page now
//! reads it in one. `tests/pages/main.rs` renders 800 pages from 32
//! clients on a multi-threaded runtime: without this module it froze in 1
//! of 4 runs, and without the data page's change `/data/messages` never
//! answered.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use tokio_util::task::LocalPoolHandle;

/// Single-threaded runtimes that render pages, one per core.
#[derive(Clone)]
pub struct RenderPool(LocalPoolHandle);

impl RenderPool {
    /// One thread per core.
    #[must_use]
    pub fn new() -> Self {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        Self(LocalPoolHandle::new(threads))
    }
}

impl Default for RenderPool {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware for the page routes: runs the rest of the stack on a render
/// thread (server functions, which render nothing, stay where they are). A
/// body of known length (a static file) comes back as it is; a streamed page
/// is polled on the render thread, chunk by chunk, and each chunk handed
/// back; when the client leaves, the render stops.
pub async fn on_render_thread(
    State(pool): State<RenderPool>,
    mut request: Request,
    next: Next,
) -> Response {
    // Server functions (registered with the pages) render nothing.
    if request.uri().path().starts_with("/sfn/") {
        return next.run(request).await;
    }
    // The caller, looked up once for everything the page renders.
    request
        .extensions_mut()
        .insert(crate::sessions::CallerOnce::default());
    let rendered = pool.0.spawn_pinned(move || async move {
        let response = next.run(request).await;
        if axum::body::HttpBody::size_hint(response.body())
            .exact()
            .is_some()
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        let (chunks, mut received) = tokio::sync::mpsc::channel(16);
        tokio::task::spawn_local(async move {
            let mut body = body;
            while let Some(frame) = body.frame().await {
                let chunk = match frame {
                    Ok(frame) => match frame.into_data() {
                        Ok(data) => Ok(data),
                        Err(_) => continue,
                    },
                    Err(e) => Err(e),
                };
                let failed = chunk.is_err();
                if chunks.send(chunk).await.is_err() || failed {
                    break;
                }
            }
        });
        let stream = futures_util::stream::poll_fn(move |cx| received.poll_recv(cx));
        Response::from_parts(parts, Body::from_stream(stream))
    });
    match rendered.await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a page's render task failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
