//! The app's ports, implemented by the server's services: what the server
//! functions of the UI call.

use crate::accounts::Accounts;
use crate::api::{extract_client_ip, user_agent};
use app::auth::{AuthPort, Me, SignUpForm, SignedIn};
use app::data::{CategoryCount, Correction, DataPage, DataPort, SettingsView};
use app::error::AppError;
use app::requests::{
    AuditOverview, AuditRow, DashboardFigures, FileForm, Filed, InboxNotice, PolicyRow,
    RegisterFilters, RegisterRows, RequestCard, RequestsPort, TimelineEntry, WithheldItem,
};
use domain::Locale;
use http::request::Parts;
use std::sync::Arc;

/// [`AuthPort`] over the account and session services.
pub struct WebAuth {
    accounts: Arc<Accounts>,
}

impl WebAuth {
    /// The port.
    #[must_use]
    pub fn new(accounts: Arc<Accounts>) -> Self {
        WebAuth { accounts }
    }
}

#[async_trait::async_trait]
impl AuthPort for WebAuth {
    async fn sign_up(&self, request: &Parts, form: SignUpForm) -> Result<(), AppError> {
        self.accounts
            .sign_up(form, extract_client_ip(request))
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn confirm_sign_up(&self, request: &Parts, token: &str) -> Result<SignedIn, AppError> {
        let (_, signed_in) = self
            .accounts
            .confirm_sign_up(token, extract_client_ip(request), user_agent(request))
            .await
            .map_err(|e| e.into_app_error())?;
        let set_cookie = self.accounts.sessions().session_cookie(&signed_in.token);
        Ok(SignedIn {
            token: signed_in.token,
            role: signed_in.role,
            set_cookie,
        })
    }

    async fn sign_in(
        &self,
        request: &Parts,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        let signed_in = self
            .accounts
            .sign_in(
                email,
                password,
                extract_client_ip(request),
                user_agent(request),
            )
            .await
            .map_err(|e| e.into_app_error())?;
        let set_cookie = self.accounts.sessions().session_cookie(&signed_in.token);
        Ok(SignedIn {
            token: signed_in.token,
            role: signed_in.role,
            set_cookie,
        })
    }

    async fn sign_out(&self, request: &Parts) -> Result<String, AppError> {
        let sessions = self.accounts.sessions();
        if let Some(me) = sessions
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?
        {
            sessions.revoke(&me).await.map_err(|e| e.into_app_error())?;
        }
        Ok(sessions.clear_cookie())
    }

    async fn current_user(&self, request: &Parts) -> Result<Option<Me>, AppError> {
        let principal = self
            .accounts
            .sessions()
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(principal.map(|p| Me {
            account_id: p.account_id.to_string(),
            display_name: p.display_name,
            role: p.role,
            locale: p.locale,
            minor: p.minor,
        }))
    }

    async fn set_locale(&self, request: &Parts, locale: Locale) -> Result<(), AppError> {
        let principal = self
            .accounts
            .sessions()
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())?;
        match principal {
            Some(me) => self
                .accounts
                .set_locale(&me, locale)
                .await
                .map_err(|e| e.into_app_error()),
            None => Ok(()),
        }
    }
}

/// [`RequestsPort`] over the request service.
pub struct WebRequests {
    requests: Arc<crate::requests::Requests>,
    accounts: Arc<Accounts>,
}

impl WebRequests {
    /// The port.
    #[must_use]
    pub fn new(requests: Arc<crate::requests::Requests>, accounts: Arc<Accounts>) -> Self {
        WebRequests { requests, accounts }
    }

    async fn principal(
        &self,
        request: &Parts,
    ) -> Result<Option<crate::sessions::Principal>, AppError> {
        self.accounts
            .sessions()
            .principal(&request.headers)
            .await
            .map_err(|e| e.into_app_error())
    }
}

fn policy_row(p: crate::requests::StoredPolicy) -> PolicyRow {
    PolicyRow {
        version: p.version,
        updated_at: p.updated_at,
        rules: p.rules,
    }
}

fn card(view: crate::requests::RequestView) -> RequestCard {
    RequestCard {
        ack: view.ack,
        kind: view.kind,
        channel: view.channel,
        status: view.status,
        policy: view.policy,
        received_at: view.received_at,
        due_at: view.due_at,
        overdue: view.overdue,
        late: view.late,
        answer: view.answer,
        details: view.details,
        timeline: view
            .timeline
            .into_iter()
            .map(|e| TimelineEntry {
                at: e.at,
                actor: e.actor,
                action: e.action,
                note: e.note,
                due_after: e.due_after,
            })
            .collect(),
    }
}

#[async_trait::async_trait]
impl RequestsPort for WebRequests {
    async fn file(&self, request: &Parts, form: FileForm) -> Result<Filed, AppError> {
        let me = self.principal(request).await?;
        let intake = crate::requests::Intake {
            kind: form.kind,
            channel: form.channel,
            details: form.details,
            contact_email: form.contact_email,
            verification: form.verification,
            idempotency_key: form.idempotency_key,
        };
        let receipt = self
            .requests
            .intake(intake, me.as_ref(), extract_client_ip(request))
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(Filed {
            ack: receipt.ack,
            status: receipt.status.as_str().to_owned(),
            policy: receipt.policy,
            due_at: receipt.due_at,
            tracking_token: receipt.tracking_token,
        })
    }

    async fn mine(&self, request: &Parts) -> Result<Vec<RequestCard>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let views = self
            .requests
            .list_mine(&me)
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(views.into_iter().map(card).collect())
    }

    async fn one(
        &self,
        request: &Parts,
        ack: &str,
        token: Option<&str>,
    ) -> Result<RequestCard, AppError> {
        let me = self.principal(request).await?;
        let caller = crate::requests::Caller {
            me: me.as_ref(),
            token,
            client: extract_client_ip(request),
        };
        self.requests
            .view(ack, &caller)
            .await
            .map(card)
            .map_err(|e| e.into_app_error())
    }

    async fn register(
        &self,
        request: &Parts,
        filters: RegisterFilters,
    ) -> Result<RegisterRows, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        if !me.role.is_staff() {
            return Err(AppError::forbidden());
        }
        let filter = crate::requests::RegisterFilter::parse(
            &crate::requests::RawRegisterFilter {
                status: &filters.status,
                kind: &filters.kind,
                assignee: &filters.assignee,
                overdue: filters.overdue_only.then_some(true),
                due_within_days: filters.due_within_days,
                limit: None,
                after: filters.after.as_deref(),
            },
            me.account_id,
        )?;
        let (views, next) = self
            .requests
            .register(filter, self.requests.now())
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(RegisterRows {
            rows: views.into_iter().map(card).collect(),
            next: next.map(|n| n.encode()),
        })
    }

    async fn act(
        &self,
        request: &Parts,
        ack: &str,
        action: &str,
        text: &str,
        days: Option<u32>,
        withheld: Vec<WithheldItem>,
    ) -> Result<RequestCard, AppError> {
        use crate::requests::{OfficerAction, Withheld};
        let me = signed_in(&self.accounts, request).await?;
        let text = text.to_owned();
        let action = match action {
            "assign" => OfficerAction::Assign { assignee: None },
            "verify-identity" => OfficerAction::VerifyIdentity,
            "request-info" => OfficerAction::RequestInfo { message: text },
            "extend" => OfficerAction::Extend { days, reason: text },
            "fulfil" => OfficerAction::Fulfil { summary: text },
            "partly-fulfil" => OfficerAction::PartlyFulfil {
                summary: text,
                withheld: withheld
                    .into_iter()
                    .map(|w| Withheld {
                        item: w.item,
                        reason: w.reason,
                    })
                    .collect(),
            },
            "refuse" => OfficerAction::Refuse { reason: text },
            "note" => OfficerAction::Note { text },
            _ => return Err(AppError::not_found()),
        };
        self.requests
            .act(&me, ack, action)
            .await
            .map(card)
            .map_err(|e| e.into_app_error())
    }

    async fn policies(&self, request: &Parts) -> Result<Vec<PolicyRow>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        if me.role != domain::Role::Admin {
            return Err(AppError::forbidden());
        }
        let rows = self
            .requests
            .policies()
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(rows.into_iter().map(policy_row).collect())
    }

    async fn save_policy(
        &self,
        request: &Parts,
        rules: domain::deadlines::DeadlinePolicy,
    ) -> Result<PolicyRow, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let name = rules.name.clone();
        self.requests
            .update_policy(&me, &name, rules)
            .await
            .map(policy_row)
            .map_err(|e| e.into_app_error())
    }

    async fn audit(&self, request: &Parts) -> Result<AuditOverview, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        if me.role != domain::Role::Admin {
            return Err(AppError::forbidden());
        }
        let (verdict, rows) = self
            .requests
            .audit()
            .latest(self.requests.db(), 200)
            .await
            .map_err(|e| e.into_app_error())?;
        let broken_at = verdict.broken_at();
        Ok(AuditOverview {
            chain_intact: broken_at.is_none(),
            broken_at,
            entries: rows
                .into_iter()
                .map(|e| AuditRow {
                    seq: e.seq,
                    at: crate::data::rfc3339(e.at),
                    actor_role: e.actor_role,
                    action: e.action,
                    subject: e.subject,
                    detail: e.detail,
                })
                .collect(),
        })
    }

    async fn inbox(&self, request: &Parts) -> Result<Vec<InboxNotice>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let items = self
            .requests
            .inbox(&me)
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(items
            .into_iter()
            .map(|n| InboxNotice {
                kind: n.kind,
                subject: n.subject,
                body: n.body,
                created_at: n.created_at,
            })
            .collect())
    }

    async fn dashboard(&self, request: &Parts) -> Result<DashboardFigures, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        if !me.role.is_staff() {
            return Err(AppError::forbidden());
        }
        let m = self
            .requests
            .metrics()
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(DashboardFigures {
            open: m.open,
            overdue: m.overdue,
            due_soon: m.due_soon,
            on_time_rate: m.on_time_rate,
            median_days_to_answer: m.median_days_to_answer,
        })
    }

    async fn reply(
        &self,
        request: &Parts,
        ack: &str,
        token: Option<&str>,
        message: &str,
    ) -> Result<RequestCard, AppError> {
        let me = self.principal(request).await?;
        let caller = crate::requests::Caller {
            me: me.as_ref(),
            token,
            client: extract_client_ip(request),
        };
        self.requests
            .add_message(ack, &caller, message)
            .await
            .map(card)
            .map_err(|e| e.into_app_error())
    }
}

/// [`DataPort`] over the personal-data service.
pub struct WebData {
    data: Arc<crate::data::PersonalData>,
    accounts: Arc<Accounts>,
    requests: Arc<crate::requests::Requests>,
}

impl WebData {
    /// The port.
    #[must_use]
    pub fn new(
        data: Arc<crate::data::PersonalData>,
        accounts: Arc<Accounts>,
        requests: Arc<crate::requests::Requests>,
    ) -> Self {
        WebData {
            data,
            accounts,
            requests,
        }
    }
}

/// The signed-in caller of a server function (401 without a live session).
async fn signed_in(
    accounts: &Accounts,
    request: &Parts,
) -> Result<crate::sessions::Principal, AppError> {
    accounts
        .sessions()
        .authenticate(&request.headers)
        .await
        .map_err(|e| e.into_app_error())
}

use crate::data::parse_category as data_category;

#[async_trait::async_trait]
impl DataPort for WebData {
    async fn overview(&self, request: &Parts) -> Result<Vec<CategoryCount>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .overview(me.account_id)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn page(
        &self,
        request: &Parts,
        category: &str,
        cursor: Option<String>,
        conversation: Option<String>,
    ) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .page(
                me.account_id,
                data_category(category)?,
                cursor.as_deref(),
                None,
                conversation.as_deref(),
            )
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn correct(
        &self,
        request: &Parts,
        corrections: Vec<Correction>,
    ) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .correct(&me, &corrections)
            .await
            .map_err(|e| e.into_app_error())?;
        self.data
            .page(
                me.account_id,
                domain::data::Category::Profile,
                None,
                None,
                None,
            )
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn delete(&self, request: &Parts, category: &str, id: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .delete_item(&me, data_category(category)?, id)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn clear(&self, request: &Parts, category: &str) -> Result<u64, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .clear(&me, data_category(category)?)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn settings(&self, request: &Parts) -> Result<SettingsView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .settings(me.account_id)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn save_settings(
        &self,
        request: &Parts,
        settings: SettingsView,
    ) -> Result<SettingsView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .save_settings(me.account_id, &settings)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn officer_page(
        &self,
        request: &Parts,
        ack: &str,
        category: &str,
        cursor: Option<String>,
    ) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .requester_page(
                &self.requests,
                &me,
                ack,
                data_category(category)?,
                cursor.as_deref(),
            )
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn posts_seen_by(&self, request: &Parts, viewer: &str) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .posts_seen_by(me.account_id, viewer)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn add_contact(&self, request: &Parts, name: &str, mobile: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.data
            .add_emergency_contact(&me, name, mobile)
            .await
            .map(|_| ())
            .map_err(|e| e.into_app_error())
    }

    async fn reauth(&self, request: &Parts, password: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        self.accounts
            .reauthenticate(&me, password, extract_client_ip(request))
            .await
            .map_err(|e| e.into_app_error())
    }
}
