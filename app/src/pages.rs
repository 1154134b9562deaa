//! The pages, one component each; their names end in `Page`.

mod account_forms;
mod admin;
mod cancellation;
mod consents;
mod data;
mod deadlines;
mod exports;
mod homes;
mod incidents;
mod landing;
mod officer;
mod recovery;
mod requests;

pub use account_forms::{SignInPage, SignUpPage, SignUpSentPage, VerifyEmailPage};
pub use admin::{AuditPage, HoldsPage, PoliciesPage};
pub use cancellation::CancelAccountPage;
pub use consents::{ConsentsPage, GuardianPage, PrivacyPolicyPage};
pub use data::{DataCategoryPage, DataOverviewPage};
pub use deadlines::DeadlinesPage;
pub use exports::ExportsPage;
pub use homes::{AdminHomePage, HolderHomePage, OfficerHomePage};
pub use incidents::{IncidentBanner, IncidentsPage};
pub use landing::{LandingPage, NotFoundPage};
pub use officer::{OfficerRequestPage, RegisterPage};
pub use recovery::{
    ForgotPasswordPage, ForgotSentPage, ReaccessPage, ResetPasswordPage, StopReaccessPage,
};
pub use requests::{FileRequestPage, InboxPage, MyRequestsPage, TrackPage};

/// An RFC 3339 instant as the operator's wall time, with its zone named.
pub(crate) fn local_instant(instant: &str) -> String {
    format!("{} ({})", requests::local(instant), requests::PORTAL_ZONE)
}
