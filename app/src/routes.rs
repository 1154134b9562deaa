//! The pages the browser loads when they are first shown (issue #12).
//!
//! Built with `cargo leptos build --split`, the code of the pages below is
//! split out of the main wasm, an area at a time: the pages of one area share
//! a lazily loaded function, so the browser fetches one set of files for the
//! area when the router first reaches any of its pages (the sign-in and
//! sign-up pages, the requests, the holder's pages, the data categories, the
//! officer's and the administrator's). The landing page and "not found" stay
//! in the main file. A page per split instead gave 30 splits in 380 files, and
//! the data page alone needed 223 of them.
//!
//! On the server a lazy page renders as any other, and the areas a response
//! used are named in its `<head>` (leptos's split manifest), so the browser
//! fetches them beside the main wasm instead of after it. A page's resources
//! are created by its component, after its code has loaded: navigating to an
//! area not yet loaded waits for its files and then for the page's data; once
//! loaded, an area stays loaded.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages;

/// One area: an enum of its pages, the lazily loaded function that renders
/// them (named after the area: the split files are named after it), and a
/// route type per page whose view calls that function. `$preload` is the
/// loader `#[lazy]` makes for the function (`__preload_` and its name): the
/// router awaits it before it hydrates or shows a page, so the page renders
/// at once. Without it, hydration met a view still loading and the page was
/// drawn a second time below the server's.
macro_rules! lazy_area {
    ($area:ident, $render:ident, $preload:ident { $($route:ident => $page:path),* $(,)? }) => {
        #[doc = concat!("The pages of the `", stringify!($render), "` area.")]
        #[derive(Clone, Copy, Debug)]
        #[allow(clippy::enum_variant_names)]
        pub enum $area {
            $(
                #[doc = concat!("`", stringify!($page), "`.")]
                $route,
            )*
        }

        #[cfg(not(feature = "csr"))]
        #[leptos::lazy]
        fn $render(page: $area) -> AnyView {
            untrack(|| match page {
                $($area::$route => $page().into_any(),)*
            })
        }

        // The client-rendered build (Trunk) has no split step: its areas are
        // in its one wasm file.
        #[cfg(feature = "csr")]
        async fn $render(page: $area) -> AnyView {
            untrack(|| match page {
                $($area::$route => $page().into_any(),)*
            })
        }

        $(
            #[doc = concat!("The lazily loaded route of `", stringify!($page), "`.")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $render($area::$route).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_area!(AccountPage, account_area, __preload_account_area {
    SignUpRoute => pages::SignUpPage,
    SignUpSentRoute => pages::SignUpSentPage,
    VerifyEmailRoute => pages::VerifyEmailPage,
    SignInRoute => pages::SignInPage,
    ForgotPasswordRoute => pages::ForgotPasswordPage,
    ForgotSentRoute => pages::ForgotSentPage,
    ResetPasswordRoute => pages::ResetPasswordPage,
    ReaccessRoute => pages::ReaccessPage,
    StopReaccessRoute => pages::StopReaccessPage,
});

lazy_area!(RequestsPage, requests_area, __preload_requests_area {
    DeadlinesRoute => pages::DeadlinesPage,
    FileRequestRoute => pages::FileRequestPage,
    TrackRoute => pages::TrackPage,
    InboxRoute => pages::InboxPage,
    MyRequestsRoute => pages::MyRequestsPage,
});

lazy_area!(HolderPage, holder_area, __preload_holder_area {
    HolderHomeRoute => pages::HolderHomePage,
    DataOverviewRoute => pages::DataOverviewPage,
    ConsentsRoute => pages::ConsentsPage,
    ExportsRoute => pages::ExportsPage,
    CancelAccountRoute => pages::CancelAccountPage,
    PrivacyPolicyRoute => pages::PrivacyPolicyPage,
    GuardianRoute => pages::GuardianPage,
});

lazy_area!(DataPage, data_area, __preload_data_area {
    DataCategoryRoute => pages::DataCategoryPage,
});

lazy_area!(OfficerPage, officer_area, __preload_officer_area {
    OfficerHomeRoute => pages::OfficerHomePage,
    RegisterRoute => pages::RegisterPage,
    OfficerRequestRoute => pages::OfficerRequestPage,
});

lazy_area!(AdminPage, admin_area, __preload_admin_area {
    AdminHomeRoute => pages::AdminHomePage,
    PoliciesRoute => pages::PoliciesPage,
    AuditRoute => pages::AuditPage,
    HoldsRoute => pages::HoldsPage,
    IncidentsRoute => pages::IncidentsPage,
});
