//! The pages the browser loads when they are first shown (issue #12).
//!
//! Built with `cargo leptos build --split`, each page below is split out of
//! the main wasm into a file of its own, fetched when the router first
//! reaches it; the landing page and "not found" stay in the main file. On the
//! server a lazy page renders as any other, and the pages a response used are
//! named in its `<head>` (leptos's split manifest), so the browser fetches
//! them beside the main wasm instead of after it.
//!
//! A page's resources are created by its component, after its code has
//! loaded: navigating to a page not yet loaded waits for its file and then
//! for its data. The pages are small files (tens of KB), and once loaded a
//! page stays loaded for the session.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages;

/// `LazyPage(pages::X)`: the route type `XRoute`, whose view is `pages::X`
/// loaded on demand. The type names must differ: the split file of each is
/// named after its type.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        #[doc = concat!("The lazily loaded route of `", stringify!($page), "`.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                untrack(|| $page().into_any())
            }
        }
    )*};
}

lazy_pages! {
    SignUpRoute => pages::SignUpPage,
    SignUpSentRoute => pages::SignUpSentPage,
    VerifyEmailRoute => pages::VerifyEmailPage,
    SignInRoute => pages::SignInPage,
    ForgotPasswordRoute => pages::ForgotPasswordPage,
    ForgotSentRoute => pages::ForgotSentPage,
    ResetPasswordRoute => pages::ResetPasswordPage,
    ReaccessRoute => pages::ReaccessPage,
    StopReaccessRoute => pages::StopReaccessPage,
    DeadlinesRoute => pages::DeadlinesPage,
    FileRequestRoute => pages::FileRequestPage,
    TrackRoute => pages::TrackPage,
    InboxRoute => pages::InboxPage,
    MyRequestsRoute => pages::MyRequestsPage,
    RegisterRoute => pages::RegisterPage,
    OfficerRequestRoute => pages::OfficerRequestPage,
    HolderHomeRoute => pages::HolderHomePage,
    DataOverviewRoute => pages::DataOverviewPage,
    ConsentsRoute => pages::ConsentsPage,
    ExportsRoute => pages::ExportsPage,
    CancelAccountRoute => pages::CancelAccountPage,
    PrivacyPolicyRoute => pages::PrivacyPolicyPage,
    GuardianRoute => pages::GuardianPage,
    DataCategoryRoute => pages::DataCategoryPage,
    OfficerHomeRoute => pages::OfficerHomePage,
    AdminHomeRoute => pages::AdminHomePage,
    PoliciesRoute => pages::PoliciesPage,
    AuditRoute => pages::AuditPage,
    HoldsRoute => pages::HoldsPage,
    IncidentsRoute => pages::IncidentsPage,
}
