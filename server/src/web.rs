//! The app's ports, implemented by the server's services: what the server
//! functions of the UI call.

use crate::accounts::Accounts;
use crate::api::{extract_client_ip, user_agent};
use crate::data::Narrowing;
use app::auth::{AuthPort, Me, SignUpForm, SignedIn};
use app::data::{Correction, DataFilter, DataPage, DataPort, DataSummary, SettingsView};
use app::error::AppError;
use app::requests::{
    Acknowledgment, ActionBody, AuditPage, InboxNotice, Metrics, NewRequest, RegisterQuery,
    RegisterRows, RequestView, RequestsPort, StoredPolicy,
};
use domain::Locale;
use domain::requests::Verb;
use http::request::Parts;
use std::sync::Arc;

/// [`AuthPort`] over the account and session services.
pub struct WebAuth {
    accounts: Arc<Accounts>,
    data: Arc<crate::data::PersonalData>,
    incidents: Arc<crate::incidents::Incidents>,
}

impl WebAuth {
    /// The port.
    #[must_use]
    pub fn new(
        accounts: Arc<Accounts>,
        data: Arc<crate::data::PersonalData>,
        incidents: Arc<crate::incidents::Incidents>,
    ) -> Self {
        WebAuth {
            accounts,
            data,
            incidents,
        }
    }
}

#[async_trait::async_trait]
impl AuthPort for WebAuth {
    async fn request_password_reset(&self, request: &Parts, email: &str) -> Result<(), AppError> {
        ui(self
            .accounts
            .request_password_reset(email, extract_client_ip(request)))
        .await
    }

    async fn reset_password(
        &self,
        _request: &Parts,
        token: &str,
        password: &str,
    ) -> Result<(), AppError> {
        ui(self.accounts.reset_password(token, password)).await
    }

    async fn stop_reaccess(&self, _request: &Parts, token: &str) -> Result<(), AppError> {
        ui(self.accounts.stop_reaccess(token)).await
    }

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
            .principal_of(request)
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
            .principal_of(request)
            .await
            .map_err(|e| e.into_app_error())?;
        let Some(p) = principal else {
            return Ok(None);
        };
        let pending_policy = ui(self.data.pending_policy(&p)).await?;
        let cancellation = crate::cancellation::view_of(&p, self.accounts.now());
        let incidents = ui(self.incidents.mine(&p)).await?;
        Ok(Some(Me {
            incidents,
            cancellation,
            account_id: p.account_id.to_string(),
            display_name: p.display_name,
            role: p.role,
            locale: p.locale,
            minor: p.minor,
            pending_policy,
        }))
    }

    async fn set_locale(&self, request: &Parts, locale: Locale) -> Result<(), AppError> {
        let principal = self
            .accounts
            .sessions()
            .principal_of(request)
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
            .principal_of(request)
            .await
            .map_err(|e| e.into_app_error())
    }
}

/// Runs a service call and gives the UI its error.
async fn ui<T>(
    call: impl std::future::Future<Output = crate::errors::ServerResult<T>>,
) -> Result<T, AppError> {
    call.await
        .map_err(crate::errors::ServerError::into_app_error)
}

#[async_trait::async_trait]
impl RequestsPort for WebRequests {
    async fn file(
        &self,
        request: &Parts,
        form: NewRequest,
        idempotency_key: Option<String>,
    ) -> Result<Acknowledgment, AppError> {
        let me = self.principal(request).await?;
        let receipt = ui(self.requests.intake(
            form,
            idempotency_key.as_deref(),
            me.as_ref(),
            extract_client_ip(request),
        ))
        .await?;
        Ok(receipt.acknowledgment)
    }

    async fn mine(&self, request: &Parts) -> Result<Vec<RequestView>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.requests.list_mine(&me)).await
    }

    async fn one(
        &self,
        request: &Parts,
        ack: &str,
        token: Option<&str>,
    ) -> Result<RequestView, AppError> {
        let me = self.principal(request).await?;
        let caller = crate::requests::Caller {
            me: me.as_ref(),
            token,
            client: extract_client_ip(request),
        };
        ui(self.requests.view(ack, &caller)).await
    }

    async fn register(
        &self,
        request: &Parts,
        query: RegisterQuery,
    ) -> Result<RegisterRows, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let (rows, next) = ui(self.requests.register(&me, &query)).await?;
        Ok(RegisterRows {
            rows,
            next: next.map(|n| n.encode()),
        })
    }

    async fn act(
        &self,
        request: &Parts,
        ack: &str,
        verb: Verb,
        body: ActionBody,
    ) -> Result<RequestView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let action = crate::requests::OfficerAction::from_wire(verb, body)?;
        ui(self.requests.act(&me, ack, action)).await
    }

    async fn policies(&self, request: &Parts) -> Result<Vec<StoredPolicy>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.requests.policies(&me)).await
    }

    async fn save_policy(
        &self,
        request: &Parts,
        rules: domain::deadlines::DeadlinePolicy,
    ) -> Result<StoredPolicy, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let name = rules.name.clone();
        ui(self.requests.update_policy(&me, &name, rules)).await
    }

    async fn audit(&self, request: &Parts) -> Result<AuditPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.requests.audit_page(&me)).await
    }

    async fn inbox(&self, request: &Parts) -> Result<Vec<InboxNotice>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.requests.inbox(&me)).await
    }

    async fn dashboard(&self, request: &Parts) -> Result<Metrics, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.requests.dashboard(&me)).await
    }

    async fn reply(
        &self,
        request: &Parts,
        ack: &str,
        token: Option<&str>,
        message: &str,
    ) -> Result<RequestView, AppError> {
        let me = self.principal(request).await?;
        let caller = crate::requests::Caller {
            me: me.as_ref(),
            token,
            client: extract_client_ip(request),
        };
        ui(self.requests.add_message(ack, &caller, message)).await
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
        .authenticate_parts(request)
        .await
        .map_err(|e| e.into_app_error())
}

use crate::data::parse_category as data_category;

#[async_trait::async_trait]
impl DataPort for WebData {
    async fn overview(&self, request: &Parts) -> Result<DataSummary, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let categories = self
            .data
            .overview(&me)
            .await
            .map_err(|e| e.into_app_error())?;
        let time_zone = self
            .data
            .zone(me.account_id)
            .await
            .map_err(|e| e.into_app_error())?;
        Ok(DataSummary {
            time_zone,
            categories,
        })
    }

    async fn page(
        &self,
        request: &Parts,
        category: &str,
        cursor: Option<String>,
        filter: DataFilter,
    ) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let category = data_category(category)?;
        let narrowing = Narrowing::parse(category, &filter)?;
        self.data
            .page(me.account_id, category, cursor.as_deref(), None, &narrowing)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn series(
        &self,
        request: &Parts,
        category: &str,
        filter: DataFilter,
    ) -> Result<DataPage, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let category = data_category(category)?;
        let narrowing = Narrowing::parse(category, &filter)?;
        self.data
            .series(me.account_id, category, &narrowing)
            .await
            .map_err(|e| e.into_app_error())
    }

    async fn delete_range(
        &self,
        request: &Parts,
        category: &str,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<u64, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let category = data_category(category)?;
        let range = crate::data::parse_range(from.as_deref(), to.as_deref())?;
        self.data
            .clear_range(&me, category, range)
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
                &Narrowing::default(),
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

#[async_trait::async_trait]
impl app::consents::ConsentsPort for WebData {
    async fn list(&self, request: &Parts) -> Result<Vec<app::consents::ConsentView>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        let gpc = crate::data::consent::gpc_signal(&request.headers);
        ui(self.data.consents(me.account_id, gpc)).await
    }

    async fn change(
        &self,
        request: &Parts,
        feature: domain::consent::Feature,
        change: app::consents::ConsentChange,
    ) -> Result<app::consents::ConsentView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.data.change_consent(
            &me,
            feature,
            change,
            domain::consent::ConsentChannel::Portal,
            crate::data::consent::gpc_signal(&request.headers),
        ))
        .await
    }

    async fn history(
        &self,
        request: &Parts,
    ) -> Result<Vec<app::consents::ConsentReceipt>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.data.consent_history(me.account_id)).await
    }

    async fn policies(&self) -> Result<Vec<app::consents::PolicyVersion>, AppError> {
        ui(self.data.policies()).await
    }

    async fn accept_policy(
        &self,
        request: &Parts,
        version: String,
    ) -> Result<app::consents::PolicyStatus, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self
            .data
            .accept_policy(&me, &version, domain::consent::ConsentChannel::Portal))
        .await
    }

    async fn publish_policy(
        &self,
        request: &Parts,
        policy: app::consents::NewPolicy,
    ) -> Result<app::consents::PolicyVersion, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.data.publish_policy(&me, &policy)).await
    }

    async fn guardian_ask(&self, token: String) -> Result<app::consents::GuardianAsk, AppError> {
        ui(self.data.guardian_ask(&token)).await
    }

    async fn confirm_guardian(
        &self,
        token: String,
    ) -> Result<app::consents::GuardianAsk, AppError> {
        ui(self.data.confirm_guardian(&token)).await
    }
}

/// [`app::exports::ExportsPort`] over the export service.
pub struct WebExports {
    exports: Arc<crate::exports::Exports>,
    accounts: Arc<Accounts>,
}

impl WebExports {
    /// The port.
    #[must_use]
    pub fn new(exports: Arc<crate::exports::Exports>, accounts: Arc<Accounts>) -> Self {
        WebExports { exports, accounts }
    }
}

#[async_trait::async_trait]
impl app::exports::ExportsPort for WebExports {
    async fn list(&self, request: &Parts) -> Result<Vec<app::exports::ExportView>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.exports.list(me.account_id)).await
    }

    async fn start(
        &self,
        request: &Parts,
        new: app::exports::NewExport,
    ) -> Result<app::exports::ExportView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        match ui(self.exports.start(&me, new)).await? {
            Ok(view) => Ok(view),
            Err(running) => Err(AppError::new(
                409,
                "export_running",
                format!("Export {running} is being prepared; wait for it or cancel it first."),
            )),
        }
    }

    async fn remove(&self, request: &Parts, id: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.exports.remove(&me, id)).await
    }
}

/// [`app::cancellation::CancellationPort`] over the cancellation service.
pub struct WebCancellation {
    cancellations: Arc<crate::cancellation::Cancellations>,
    accounts: Arc<Accounts>,
}

impl WebCancellation {
    /// The port.
    #[must_use]
    pub fn new(
        cancellations: Arc<crate::cancellation::Cancellations>,
        accounts: Arc<Accounts>,
    ) -> Self {
        WebCancellation {
            cancellations,
            accounts,
        }
    }
}

#[async_trait::async_trait]
impl app::cancellation::CancellationPort for WebCancellation {
    async fn status(
        &self,
        request: &Parts,
    ) -> Result<app::cancellation::CancellationStatus, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.status(&me)).await
    }

    async fn cancel(
        &self,
        request: &Parts,
    ) -> Result<app::cancellation::CancellationView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.cancel(&me)).await
    }

    async fn undo(&self, request: &Parts) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.undo(&me)).await
    }

    async fn settings(
        &self,
        request: &Parts,
    ) -> Result<app::cancellation::PortalSettings, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.settings(&me)).await
    }

    async fn save_settings(
        &self,
        request: &Parts,
        change: app::cancellation::SettingsChange,
    ) -> Result<app::cancellation::PortalSettings, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.save_settings(&me, &change)).await
    }

    async fn freeze(
        &self,
        request: &Parts,
        account_id: &str,
        reason: &str,
    ) -> Result<app::cancellation::FreezeView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.freeze(&me, account_id, reason)).await
    }

    async fn release(&self, request: &Parts, account_id: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.cancellations.release(&me, account_id)).await
    }
}

/// [`app::incidents::IncidentsPort`] over the incident service.
pub struct WebIncidents {
    incidents: Arc<crate::incidents::Incidents>,
    accounts: Arc<Accounts>,
}

impl WebIncidents {
    /// The port.
    #[must_use]
    pub fn new(incidents: Arc<crate::incidents::Incidents>, accounts: Arc<Accounts>) -> Self {
        WebIncidents {
            incidents,
            accounts,
        }
    }
}

#[async_trait::async_trait]
impl app::incidents::IncidentsPort for WebIncidents {
    async fn list(&self, request: &Parts) -> Result<Vec<app::incidents::IncidentView>, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.incidents.list(&me)).await
    }

    async fn save(
        &self,
        request: &Parts,
        id: Option<String>,
        draft: app::incidents::IncidentDraft,
    ) -> Result<app::incidents::IncidentView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.incidents.save(&me, id.as_deref(), draft)).await
    }

    async fn publish(
        &self,
        request: &Parts,
        id: &str,
    ) -> Result<app::incidents::IncidentView, AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.incidents.publish(&me, id)).await
    }

    async fn acknowledge(&self, request: &Parts, id: &str) -> Result<(), AppError> {
        let me = signed_in(&self.accounts, request).await?;
        ui(self.incidents.acknowledge(&me, id)).await
    }
}
