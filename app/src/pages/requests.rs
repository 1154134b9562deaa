//! Requests for the people who make them: filing one (with or without an
//! account), following it by acknowledgment number, and "My requests".

use crate::auth::failure;
use crate::components::{ErrorAlert, RequireRole, error_text};
use crate::error::AppError;
use crate::i18n::use_texts;
use crate::requests::inbox;
use crate::requests::{
    FileRequest, NewRequest, ReplyRequest, RequestView, TrackRequest, my_requests,
};
use crate::use_auth;
use domain::deadlines::{describe_due, format_local};
use domain::requests::complaint::ComplaintCategory;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// The zone of times that belong to no request (the inbox, the audit
/// log): the operator's. A request's times are shown in its policy's zone.
pub(crate) const PORTAL_ZONE: &str = "Asia/Shanghai";

/// An RFC 3339 instant as wall time in `zone`.
pub(crate) fn local_in(instant: &str, zone: &str) -> String {
    OffsetDateTime::parse(instant, &Rfc3339)
        .map_or_else(|_| instant.to_owned(), |t| format_local(t, zone))
}

/// An RFC 3339 instant as the operator's wall time.
pub(crate) fn local(instant: &str) -> String {
    local_in(instant, PORTAL_ZONE)
}

/// "3 days left" in the request's policy zone, counted by the domain's
/// engine from the server's instant of the view (`as_of`), so the server
/// renders it, hydration agrees, and a browser with a wrong clock cannot
/// change it.
#[component]
pub(crate) fn Countdown(due_at: Option<String>, as_of: String, zone: String) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let parse = |t: &str| OffsetDateTime::parse(t, &Rfc3339).ok();
    let due = due_at.as_deref().and_then(parse);
    let now = parse(&as_of);
    move || match (due, now) {
        (Some(due), Some(now)) => describe_due(due, now, &zone, locale.get()),
        _ => String::new(),
    }
}

/// A request: status, deadline, answer and history.
#[component]
pub(crate) fn RequestDetails(
    card: RequestView,
    /// Seen through a tracking code: files are listed, not linked (a link
    /// would carry the code into logs).
    #[prop(optional)]
    tracked: bool,
) -> impl IntoView {
    let texts = use_texts();
    let RequestView {
        ack,
        kind,
        status,
        policy,
        time_zone,
        due_at,
        overdue,
        late,
        answer,
        details,
        timeline,
        as_of,
        category,
        escalated_at,
        attachments,
        ..
    } = card;
    let files_of = ack.clone();
    let local = {
        let zone = time_zone.clone();
        move |t: &str| local_in(t, &zone)
    };
    let due_text = due_at.as_deref().map(&local);
    let closed = status.is_closed();
    view! {
        <article class="request" data-testid="request">
            <h2>{move || texts.get().kind_name(kind)} " · " <span data-testid="ack">{ack.clone()}</span></h2>
            <dl class="facts">
                <dt>{move || texts.get().status_label}</dt>
                <dd data-testid="status">{move || texts.get().status_name(status)}
                    {overdue.then(|| view! { " " <span class="badge-danger">{move || texts.get().overdue_badge}</span> })}
                    {late.then(|| view! { " " <span class="badge-danger">{move || texts.get().late_badge}</span> })}
                    {(escalated_at.is_some() && !closed).then(|| view! { " " <span class="badge-info" data-testid="escalated-badge">{move || texts.get().term("escalated_badge")}</span> })}
                </dd>
                {category.map(|c| view! {
                    <dt>{move || texts.get().term("complaint_category")}</dt>
                    <dd data-testid="complaint-category">{move || texts.get().complaint_category_name(c)}</dd>
                })}
                <dt>{move || texts.get().req_due_label}</dt>
                <dd data-testid="due">
                    {match due_text.clone() {
                        Some(d) => format!("{d} ({time_zone}, {policy})"),
                        None => String::new(),
                    }}
                    " " <span class="hint" data-testid="countdown">{(!closed).then(|| view! { <Countdown due_at=due_at.clone() as_of=as_of.clone() zone=time_zone.clone()/> })}</span>
                </dd>
            </dl>
            {details.map(|d| view! { <h3>{move || texts.get().details_title}</h3> <p class="quote">{d}</p> })}
            {(!attachments.is_empty()).then(|| view! {
                <h3>{move || texts.get().term("attachments_title")}</h3>
                <ul class="attachments" data-testid="attachments">
                    {attachments.into_iter().map(|a| {
                        let size = format!("{:.1} KB", a.size_bytes as f64 / 1024.0);
                        let href = crate::transport::portal_url(&format!("/api/v1/requests/{}/attachments/{}", files_of, a.id));
                        view! {
                            <li>
                                {if tracked {
                                    view! { <span>{a.name.clone()}</span> }.into_any()
                                } else {
                                    view! { <a href=href download=a.name.clone()>{a.name.clone()}</a> }.into_any()
                                }}
                                " " <span class="hint">{format!("({size}, {})", a.file_type.as_str())}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {answer.map(|a| view! { <h3>{move || texts.get().answer_title}</h3> <p class="quote" data-testid="answer">{a}</p> })}
            {(!timeline.is_empty()).then(|| view! {
            <h3>{move || texts.get().timeline_title}</h3>
            <ol class="timeline" data-testid="timeline">
                {timeline
                    .into_iter()
                    .map(|e| {
                        let action = e.action;
                        view! {
                            <li>
                                <time>{local(&e.at)}</time> " · " {move || texts.get().event_name(action)}
                                {e.note.map(|n| view! { <span class="note">{format!(" — {n}")}</span> })}
                                {e.due_after.map(|d| view! { <span class="hint">{format!(" → {}", local(&d))}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            })}
        </article>
    }
}

/// `/requests/new`: anyone may file; signed-in holders file in the portal,
/// everyone else writes to the Privacy Officer.
#[component]
pub fn FileRequestPage() -> impl IntoView {
    let texts = use_texts();
    let auth = use_auth();
    let action = ServerAction::<FileRequest>::new();
    let kind = RwSignal::new("copy".to_owned());
    let details = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let verification = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    // The chosen file's problem found in the browser (too large), or the
    // server's refusal of it after filing.
    let file_error = RwSignal::new(None::<AppError>);
    let attached = RwSignal::new(None::<String>);
    let uploading = RwSignal::new(false);
    let complaint = move || kind.get() == domain::requests::RequestKind::Complaint.as_str();
    let key = StoredValue::new(None::<String>);
    let signed_in = Signal::derive(move || matches!(auth.user.get(), Some(Ok(Some(_)))));
    let error = Signal::derive(move || failure(action.value().get()));
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| error_text(texts.get(), &e))
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if file_error.get_untracked().is_some_and(|e| e.status == 0) {
            return;
        }
        // One key per form: a double click or a retry files one request.
        let idempotency_key = key.get_value().unwrap_or_else(|| {
            let fresh = format!("ui-{}", OffsetDateTime::now_utc().unix_timestamp_nanos());
            key.set_value(Some(fresh.clone()));
            fresh
        });
        let anonymous = !signed_in.get_untracked();
        action.dispatch(FileRequest {
            request: NewRequest {
                kind: kind.get_untracked(),
                channel: if anonymous {
                    "privacy_officer".into()
                } else {
                    "in_app".into()
                },
                details: details.get_untracked(),
                contact_email: anonymous.then(|| contact.get_untracked()),
                verification: anonymous.then(|| verification.get_untracked()),
                category: complaint().then(|| category.get_untracked()),
                reaccess: None,
            },
            idempotency_key: Some(idempotency_key),
        });
    };
    let receipt = move || action.value().get().and_then(Result::ok);
    // Once filed, the chosen file follows (a complaint's attachment).
    Effect::new(move |_| {
        let Some(filed) = receipt() else {
            return;
        };
        let Some(file) = chosen_file(file_input) else {
            return;
        };
        send_file(
            filed.ack,
            filed.tracking_token,
            file,
            uploading,
            attached,
            file_error,
        );
    });
    view! {
        <Title text=crate::components::page_title(move || texts.get().req_new_title)/>
        <section class="form-page wide">
            <h1>{move || texts.get().req_new_title}</h1>
            <p>{move || texts.get().req_new_intro}</p>
            // The form depends on whether someone is signed in: read inside Suspense.
            <Suspense fallback=|| ()>
            <Show when=move || receipt().is_none() fallback=move || view! {
                <Receipt filed=receipt()/>
                <p role="status" data-testid="attachment-status">
                    {move || uploading.get().then(|| texts.get().term("uploading"))}
                    {move || attached.get().map(|name| format!("{}: {name}", texts.get().term("attached")))}
                </p>
                <p class="form-alert" role="alert" data-testid="attachment-failed">
                    {move || file_error.get().map(|e| format!("{} {}", texts.get().term("attachment_failed"), error_text(texts.get(), &e)))}
                </p>
            }>
                <p class="form-alert" role="alert">{move || error.get().filter(|e| e.field.is_none()).map(|e| error_text(texts.get(), &e))}</p>
                <form on:submit=on_submit novalidate data-testid="request-form">
                    <div class="field">
                        <label for="kind">{move || texts.get().req_kind_label}</label>
                        <select id="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {{
                                use domain::requests::RequestKind::*;
                                [Copy, Access, Correction, Deletion, Objection, Complaint, Reaccess]
                            }
                                .into_iter()
                                .map(|k| view! { <option value=k.as_str() selected=k == domain::requests::RequestKind::Copy>{move || texts.get().kind_name(k)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="details">{move || texts.get().req_details_label}</label>
                        <textarea id="details" rows="5" on:input=move |ev| details.set(event_target_value(&ev))
                            aria-invalid=move || field_error("details")().is_some().then_some("true")></textarea>
                        <p class="field-error" role="alert" data-testid="details-error">{field_error("details")}</p>
                    </div>
                    <Show when=complaint>
                        <div class="field">
                            <label for="category">{move || texts.get().term("complaint_category")}</label>
                            <select id="category" data-testid="complaint-category" on:change=move |ev| category.set(event_target_value(&ev))
                                aria-invalid=move || field_error("category")().is_some().then_some("true")>
                                <option value="">{move || texts.get().term("choose")}</option>
                                {ComplaintCategory::ALL.into_iter().map(|c| view! {
                                    <option value=c.as_str()>{move || texts.get().complaint_category_name(c)}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-error" role="alert" data-testid="category-error">{field_error("category")}</p>
                        </div>
                        <div class="field">
                            <label for="attachment">{move || texts.get().term("attachment_label")}</label>
                            <p class="hint" id="attachment-hint">{move || texts.get().term("attachment_hint")}</p>
                            <input id="attachment" type="file" node_ref=file_input data-testid="attachment"
                                accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,application/pdf,image/*,text/plain"
                                aria-describedby="attachment-hint"
                                on:change=move |_| file_error.set(too_large(file_input))/>
                            <p class="field-error" role="alert" data-testid="attachment-error">
                                {move || file_error.get().map(|e| error_text(texts.get(), &e))}
                            </p>
                        </div>
                    </Show>
                    <Show when=move || !signed_in.get()>
                        <div class="field">
                            <label for="contact_email">{move || texts.get().req_contact_label}</label>
                            <input id="contact_email" type="email" autocomplete="email" on:input=move |ev| contact.set(event_target_value(&ev))/>
                            <p class="field-error" role="alert" data-testid="contact_email-error">{field_error("contact_email")}</p>
                        </div>
                        <div class="field">
                            <label for="verification">{move || texts.get().req_verification_label}</label>
                            <p class="hint" id="verification-hint">{move || texts.get().req_verification_hint}</p>
                            <textarea id="verification" rows="2" aria-describedby="verification-hint" on:input=move |ev| verification.set(event_target_value(&ev))></textarea>
                            <p class="field-error" role="alert" data-testid="verification-error">{field_error("verification")}</p>
                        </div>
                    </Show>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { texts.get().submitting } else { texts.get().req_submit }}
                    </button>
                </form>
            </Show>
            </Suspense>
        </section>
    }
}

/// The file chosen in a file input, if any.
fn chosen_file(input: NodeRef<leptos::html::Input>) -> Option<Chosen> {
    #[cfg(feature = "browser")]
    {
        input.get_untracked()?.files()?.get(0)
    }
    #[cfg(not(feature = "browser"))]
    {
        let _ = input;
        None
    }
}

#[cfg(feature = "browser")]
type Chosen = leptos::web_sys::File;
#[cfg(not(feature = "browser"))]
type Chosen = ();

/// The browser's own check of the chosen file's size, before anything is
/// sent (the server checks again, and checks the type by content). Its
/// status is 0: nothing was asked of the server.
fn too_large(input: NodeRef<leptos::html::Input>) -> Option<AppError> {
    #[cfg(feature = "browser")]
    {
        let file = chosen_file(input)?;
        #[allow(clippy::cast_precision_loss)]
        let limit = domain::requests::complaint::MAX_ATTACHMENT_BYTES as f64;
        (file.size() > limit).then(|| AppError {
            field: Some("file".to_owned()),
            ..AppError::new(0, "attachment_too_large", "The file is larger than 5 MB.")
        })
    }
    #[cfg(not(feature = "browser"))]
    {
        let _ = input;
        None
    }
}

/// Sends a file to a filed request, saying how it went.
pub(crate) fn send_file(
    ack: String,
    token: Option<String>,
    file: Chosen,
    uploading: RwSignal<bool>,
    attached: RwSignal<Option<String>>,
    error: RwSignal<Option<AppError>>,
) {
    #[cfg(feature = "browser")]
    {
        uploading.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::requests::upload_attachment(&ack, token.as_deref(), &file).await {
                Ok(view) => attached.set(Some(view.name)),
                Err(e) => error.set(Some(e)),
            }
            uploading.set(false);
        });
    }
    #[cfg(not(feature = "browser"))]
    {
        let _ = (ack, token, file, uploading, attached, error);
    }
}

#[component]
pub(crate) fn Receipt(filed: Option<crate::requests::Acknowledgment>) -> impl IntoView {
    let texts = use_texts();
    let Some(filed) = filed else {
        return ().into_any();
    };
    // The tracking code travels in the fragment: browsers never send it to a
    // server, so it stays out of access logs and Referer headers.
    let track = match &filed.tracking_token {
        Some(token) => format!("/track?ack={}#token={token}", filed.ack),
        None => "/requests".to_owned(),
    };
    let zone = filed.time_zone.clone();
    let due = filed.due_at.as_deref().map(|d| local_in(d, &zone));
    view! {
        <div class="notice-page" role="status" data-testid="receipt">
            <h2>{move || texts.get().req_sent_title}</h2>
            <dl class="facts">
                <dt>{move || texts.get().req_ack_label}</dt>
                <dd data-testid="receipt-ack"><strong>{filed.ack.clone()}</strong></dd>
                <dt>{move || texts.get().req_due_label}</dt>
                <dd data-testid="receipt-due">{move || due.clone().map_or_else(|| texts.get().req_due_pending.to_owned(), |d| format!("{d} ({zone})"))}</dd>
                {filed.tracking_token.clone().map(|t| view! {
                    <dt>{move || texts.get().req_token_label}</dt>
                    <dd data-testid="receipt-token"><code>{t}</code></dd>
                })}
            </dl>
            <p><a href=track class="button">{move || texts.get().req_track_link}</a></p>
        </div>
    }
    .into_any()
}

/// `/track`: a request followed by acknowledgment number and tracking code.
#[component]
pub fn TrackPage() -> impl IntoView {
    let texts = use_texts();
    let query = use_query_map();
    let action = ServerAction::<TrackRequest>::new();
    let ack = RwSignal::new(query.get_untracked().get("ack").unwrap_or_default());
    let token = RwSignal::new(query.get_untracked().get("token").unwrap_or_default());
    let show = move || {
        action.dispatch(TrackRequest {
            ack: ack.get_untracked(),
            token: Some(token.get_untracked()),
        })
    };
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        // `#token=…` from the acknowledgment link (the browser keeps it to itself).
        let hash = location.hash.get();
        if let Some(from_fragment) = hash
            .strip_prefix('#')
            .unwrap_or(&hash)
            .strip_prefix("token=")
        {
            token.set(from_fragment.to_owned());
        }
        if !ack.get_untracked().is_empty() {
            show();
        }
    });
    let card = move || action.value().get().and_then(Result::ok);
    let error = move || failure(action.value().get()).map(|e| error_text(texts.get(), &e));
    view! {
        <Title text=crate::components::page_title(move || texts.get().track_title)/>
        <section class="form-page wide">
            <h1>{move || texts.get().track_title}</h1>
            <form novalidate on:submit=move |ev: SubmitEvent| { ev.prevent_default(); show(); }>
                <div class="field">
                    <label for="ack">{move || texts.get().req_ack_label}</label>
                    <input id="ack" prop:value=ack on:input=move |ev| ack.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="token">{move || texts.get().track_token_label}</label>
                    <input id="token" prop:value=token on:input=move |ev| token.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">{move || texts.get().track_submit}</button>
            </form>
            <p class="form-alert" role="alert">{error}</p>
            {move || card().map(|c| {
                let open = !c.status.is_closed();
                let ack_now = c.ack.clone();
                view! {
                    <RequestDetails card=c tracked=true/>
                    {open.then(|| view! {
                        <RequesterTools ack=ack_now token=Some(token.get_untracked()) changed=Callback::new(move |()| { show(); })/>
                    })}
                }
            })}
        </section>
    }
}

/// What the requester can do with an open request: write to the officer
/// (a request waiting for them resumes) and add a file.
#[component]
fn RequesterTools(
    ack: String,
    /// The tracking code, without a session.
    token: Option<String>,
    /// Called after a message or a file was accepted.
    changed: Callback<()>,
) -> impl IntoView {
    let texts = use_texts();
    let reply = ServerAction::<ReplyRequest>::new();
    let message = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let file_error = RwSignal::new(None::<AppError>);
    let attached = RwSignal::new(None::<String>);
    let uploading = RwSignal::new(false);
    let id = |what: &str| format!("{what}-{ack}");
    let (message_id, file_id) = (id("message"), id("file"));
    Effect::new(move |_| {
        if let Some(Ok(_)) = reply.value().get() {
            message.set(String::new());
            changed.run(());
        }
    });
    Effect::new(move |_| {
        if attached.get().is_some() {
            changed.run(());
        }
    });
    let reply_error = move || failure(reply.value().get()).map(|e| error_text(texts.get(), &e));
    let send = {
        let (ack, token) = (ack.clone(), token.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            reply.dispatch(ReplyRequest {
                ack: ack.clone(),
                token: token.clone(),
                message: message.get_untracked(),
            });
        }
    };
    let upload = move |_| {
        file_error.set(too_large(file_input));
        if file_error.get_untracked().is_some() {
            return;
        }
        if let Some(file) = chosen_file(file_input) {
            send_file(
                ack.clone(),
                token.clone(),
                file,
                uploading,
                attached,
                file_error,
            );
        }
    };
    view! {
        <div class="requester-tools" data-testid="requester-tools">
            <form class="stack" novalidate on:submit=send>
                <div class="field">
                    <label for=message_id.clone()>{move || texts.get().term("send_message")}</label>
                    <textarea id=message_id rows="3" data-testid="reply-text" prop:value=message
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{reply_error}</p>
                </div>
                <button type="submit" class="button secondary" data-testid="reply-send" disabled=move || reply.pending().get()>
                    {move || texts.get().reply_submit}
                </button>
            </form>
            <div class="field">
                <label for=file_id.clone()>{move || texts.get().term("add_attachment")}</label>
                <p class="hint">{move || texts.get().term("attachment_hint")}</p>
                <input id=file_id type="file" node_ref=file_input data-testid="add-file"
                    accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,application/pdf,image/*,text/plain" on:change=upload/>
                <p class="field-error" role="alert" data-testid="add-file-error">
                    {move || file_error.get().map(|e| error_text(texts.get(), &e))}
                </p>
                <p role="status" class="hint">{move || uploading.get().then(|| texts.get().term("uploading"))}</p>
            </div>
        </div>
    }
}

/// `/requests`: the signed-in holder's requests.
#[component]
pub fn MyRequestsPage() -> impl IntoView {
    view! { <RequireRole allowed=&[domain::Role::Holder] page=my_requests_page/> }
}

fn my_requests_page(_me: crate::auth::Me) -> AnyView {
    let texts = use_texts();
    let list = Resource::new(|| (), |_| my_requests());
    view! {
        <Title text=crate::components::page_title(move || texts.get().my_requests_title)/>
        <section>
            <h1>{move || texts.get().my_requests_title}</h1>
            <p><A href="/requests/new" attr:class="button">{move || texts.get().new_request_link}</A></p>
            <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(cards) if cards.is_empty() => view! { <p data-testid="no-requests">{move || texts.get().my_requests_empty}</p> }.into_any(),
                        Ok(cards) => cards.into_iter().map(|c| {
                            let open = !c.status.is_closed();
                            let ack = c.ack.clone();
                            view! {
                                <RequestDetails card=c/>
                                {open.then(|| view! { <RequesterTools ack=ack token=None changed=Callback::new(move |()| list.refetch())/> })}
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// `/inbox`: acknowledgments, answers and notices, newest first.
#[component]
pub fn InboxPage() -> impl IntoView {
    view! { <RequireRole allowed=&[domain::Role::Holder, domain::Role::Officer, domain::Role::Admin] page=inbox_page/> }
}

fn inbox_page(_me: crate::auth::Me) -> AnyView {
    let texts = use_texts();
    let notices = Resource::new(|| (), |_| inbox());
    view! {
        <Title text=crate::components::page_title(move || texts.get().inbox_title)/>
        <section>
            <h1>{move || texts.get().inbox_title}</h1>
            <Suspense fallback=move || view! { <p>{move || texts.get().loading}</p> }>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || texts.get().inbox_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="inbox" data-testid="inbox">
                                {list.into_iter().map(|n| view! {
                                    <li class="request">
                                        <h2>{n.subject}</h2>
                                        <p class="hint"><time>{local(&n.created_at)}</time></p>
                                        <p class="quote">{n.body}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
