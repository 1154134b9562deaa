//! Every string the UI shows, in every language (DESIGN §8).
//!
//! Why not `leptos_i18n`: a plain struct with one `const` per language makes a
//! missing translation a compile error (every field must be filled), costs no
//! ICU data in the wasm bundle and no build-time macro crate, and switching
//! language is one signal. Components read `use_texts()` and never hold a
//! literal that a person sees.

use domain::Locale;
use leptos::prelude::*;

/// One entry on the holder's home: a right of DESIGN §2.
#[derive(Clone, Copy, Debug)]
pub struct RightText {
    /// Stable identifier, used in URLs and test IDs.
    pub key: &'static str,
    /// Title on the card.
    pub title: &'static str,
    /// One sentence on what the right lets the person do.
    pub summary: &'static str,
}

/// All UI strings of one language.
#[derive(Debug)]
pub struct Texts {
    pub locale: Locale,
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub nav_label: &'static str,
    pub sign_in: &'static str,
    pub sign_up: &'static str,
    pub sign_out: &'static str,
    pub loading: &'static str,
    pub footer: &'static str,

    pub landing_title: &'static str,
    pub landing_intro: &'static str,
    pub landing_points: [&'static str; 3],
    pub go_to_home: &'static str,

    pub email: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub display_name: &'static str,
    pub birth_date: &'static str,
    pub birth_date_hint: &'static str,
    pub sign_up_title: &'static str,
    pub sign_up_intro: &'static str,
    pub sign_up_submit: &'static str,
    pub have_account: &'static str,
    pub sign_up_sent_title: &'static str,
    pub sign_up_sent_body: &'static str,
    pub sign_up_sent_hint: &'static str,
    pub verify_email_title: &'static str,
    pub verify_email_intro: &'static str,
    pub verify_email_submit: &'static str,
    pub sign_up_again: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_submit: &'static str,
    pub no_account: &'static str,
    pub submitting: &'static str,
    pub form_has_errors: &'static str,

    pub holder_home_title: &'static str,
    pub greeting: fn(&str) -> String,
    /// "within N days" for the register's filter.
    pub within_days: fn(i64) -> String,
    pub holder_home_intro: &'static str,
    pub minor_notice: &'static str,
    pub coming_soon: &'static str,
    pub rights: [RightText; 11],

    pub officer_home_title: &'static str,
    pub officer_home_intro: &'static str,
    pub officer_items: [RightText; 4],
    pub admin_home_title: &'static str,
    pub admin_home_intro: &'static str,
    pub admin_items: [RightText; 5],

    pub deadlines_nav: &'static str,
    pub deadlines_title: &'static str,
    pub deadlines_intro: &'static str,
    pub policy_label: &'static str,
    pub start_label: &'static str,
    pub start_hint: fn(&str) -> String,
    pub due_label: &'static str,
    pub reminders_label: &'static str,
    pub overdue_from_label: &'static str,
    pub countdown_label: &'static str,
    pub source_label: &'static str,
    pub provisional_note: &'static str,
    pub pick_start: &'static str,
    pub utc: &'static str,
    pub req_new_title: &'static str,
    pub req_new_intro: &'static str,
    pub req_kind_label: &'static str,
    pub req_details_label: &'static str,
    pub req_contact_label: &'static str,
    pub req_verification_label: &'static str,
    pub req_verification_hint: &'static str,
    pub req_submit: &'static str,
    pub req_sent_title: &'static str,
    pub req_ack_label: &'static str,
    pub req_token_label: &'static str,
    pub req_due_label: &'static str,
    pub req_due_pending: &'static str,
    pub req_track_link: &'static str,
    pub track_title: &'static str,
    pub track_token_label: &'static str,
    pub track_submit: &'static str,
    pub my_requests_title: &'static str,
    pub my_requests_empty: &'static str,
    pub new_request_link: &'static str,
    pub status_label: &'static str,
    pub timeline_title: &'static str,
    pub answer_title: &'static str,
    pub overdue_badge: &'static str,
    pub late_badge: &'static str,
    pub register_title: &'static str,
    pub register_overdue_only: &'static str,
    pub register_empty: &'static str,
    pub col_kind: &'static str,
    pub actions_title: &'static str,
    pub act_text_label: &'static str,
    pub act_days_label: &'static str,
    pub reply_title: &'static str,
    pub reply_submit: &'static str,
    pub details_title: &'static str,
    pub open_label: &'static str,
    pub inbox_title: &'static str,
    pub inbox_empty: &'static str,
    pub dash_open: &'static str,
    pub dash_overdue: &'static str,
    pub dash_due_soon: &'static str,
    pub dash_on_time: &'static str,
    pub dash_median_days: &'static str,
    pub denied_title: &'static str,
    pub denied_body: &'static str,
    pub signed_out_title: &'static str,
    pub signed_out_body: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub role_names: [&'static str; 3],
    pub signed_in_as: fn(&str, &str) -> String,
}

impl Texts {
    /// The translated message of an error code, or `None` for codes the UI
    /// does not know (then the server's message is shown).
    #[must_use]
    pub fn error(&self, code: &str) -> Option<&'static str> {
        ERRORS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, en, zh)| match self.locale {
                Locale::En => *en,
                Locale::Zh => *zh,
            })
    }

    /// The name of a role in this language.
    #[must_use]
    pub fn role_name(&self, role: domain::Role) -> &'static str {
        match role {
            domain::Role::Holder => self.role_names[0],
            domain::Role::Officer => self.role_names[1],
            domain::Role::Admin => self.role_names[2],
        }
    }
}

/// Error codes the UI translates: (code, English, Chinese). One row per code,
/// so no language can miss one.
static ERRORS: &[(&str, &str, &str)] = &[
    (
        "verification_required",
        "Give at least one piece of verification information below: an old password, the e-mail or mobile on file, when and how you registered, devices, places or friends' names.",
        "请至少填写下面的一项验证信息：用过的密码、预留的邮箱或手机、注册时间和方式、设备、地点或好友的名字。",
    ),
    (
        "no_account",
        "There is no account to act on for this request.",
        "该请求没有可处理的账号。",
    ),
    (
        "access_stopped",
        "The account's holder stopped this access. Write to the privacy officer if you need help.",
        "账号持有人已阻止此次访问。如需帮助，请联系隐私保护负责人。",
    ),
    (
        "link_not_open",
        "This link is not open yet: it opens after the waiting period that lets the account's holder stop it. It opens at",
        "该链接尚未生效：需等待账号持有人可以阻止的等待期结束后才能使用。生效时间：",
    ),
    (
        "access_already_used",
        "The access was already used to set a new password. If that was not you, write to the privacy officer at once.",
        "该访问已被用于设置新密码。如果不是您本人，请立即联系隐私保护负责人。",
    ),
    (
        "incident_published",
        "This notice is published and cannot change. Write an update that follows it instead.",
        "该通知已发布，不能修改。请发布一条后续更新。",
    ),
    (
        "unknown_account",
        "No holder has one of these account IDs.",
        "部分账号 ID 不存在。",
    ),
    (
        "invalid_for_reaccess",
        "Access to an account is granted or refused, not granted in part.",
        "账号找回只能批准或拒绝，不能部分批准。",
    ),
    (
        "invalid_email",
        "Enter an e-mail address such as name@example.com.",
        "请输入电子邮箱地址，例如 name@example.com。",
    ),
    (
        "password_too_common",
        "This password is common or easy to guess. Choose a longer, less predictable one.",
        "该密码过于常见或容易被猜到。请选择更长、更难预测的密码。",
    ),
    (
        "password_too_short",
        "The password must have at least 10 characters.",
        "密码至少需要 10 个字符。",
    ),
    (
        "password_too_long",
        "The password may have at most 256 characters.",
        "密码最多 256 个字符。",
    ),
    (
        "display_name_required",
        "Enter the name others see.",
        "请输入他人看到的名字。",
    ),
    (
        "display_name_too_long",
        "The name may have at most 64 characters.",
        "名字最多 64 个字符。",
    ),
    (
        "display_name_invalid",
        "The name may not contain control characters.",
        "名字不能包含控制字符。",
    ),
    (
        "invalid_birth_date",
        "Enter the birth date as YYYY-MM-DD.",
        "请按 YYYY-MM-DD 格式输入出生日期。",
    ),
    (
        "birth_date_out_of_range",
        "The birth date must be a real date in the past.",
        "出生日期必须是过去的真实日期。",
    ),
    (
        "age_restricted",
        "Accounts are for people aged 13 or over. Ask a parent or guardian for help.",
        "本服务仅面向 13 周岁及以上用户。请向父母或监护人寻求帮助。",
    ),
    (
        "email_unavailable",
        "This e-mail address already has an account. Sign in with it.",
        "该电子邮箱已有账号。请直接用它登录。",
    ),
    (
        "link_expired",
        "This link has expired or has already been used. Sign up again to get a new one.",
        "该链接已过期或已被使用。请重新注册以获取新链接。",
    ),
    (
        "invalid_credentials",
        "The e-mail address or password is not right.",
        "电子邮箱或密码不正确。",
    ),
    (
        "too_many_attempts",
        "Too many failed attempts from here. Wait a few minutes and try again.",
        "此处失败次数过多。请等待几分钟后再试。",
    ),
    (
        "rate_limited",
        "Too many requests from here. Wait a while and try again.",
        "此处请求过多。请稍后再试。",
    ),
    (
        "out_of_range",
        "This value is outside the range allowed.",
        "该值超出允许的范围。",
    ),
    (
        "contact_email_not_on_file",
        "Answers to your own request go to your account's e-mail address.",
        "你本人的请求将回复到你账号的电子邮箱。",
    ),
    ("unauthenticated", "Sign in to continue.", "请先登录。"),
    (
        "forbidden",
        "Your account may not do this.",
        "你的账号无权执行此操作。",
    ),
    ("required", "This field is required.", "此项为必填。"),
    (
        "internal",
        "Something went wrong. Please try again.",
        "出现了问题，请稍后重试。",
    ),
    (
        "unreachable",
        "The portal could not be reached. Check your connection.",
        "无法连接到服务，请检查网络。",
    ),
    (
        "bad_request",
        "The form could not be read. Reload the page and try again.",
        "无法读取表单，请刷新页面后重试。",
    ),
    (
        "field_immutable",
        "This field cannot be changed here; you can ask the privacy officer to correct it.",
        "此字段无法在此修改，你可以请隐私官更正。",
    ),
    (
        "invalid_mobile",
        "Enter the mobile number in international form, e.g. +8613812345678.",
        "请按国际格式输入手机号，例如 +8613812345678。",
    ),
    ("too_long", "This is too long.", "内容过长。"),
    (
        "invalid_characters",
        "This may not contain control characters.",
        "不能包含控制字符。",
    ),
    (
        "invalid_choice",
        "Choose one of the offered values.",
        "请从给出的选项中选择。",
    ),
    (
        "invalid_qq",
        "A QQ number has 5 to 11 digits and does not start with 0.",
        "QQ 号为 5 到 11 位数字，且不以 0 开头。",
    ),
    (
        "invalid_category",
        "Choose what the complaint is about.",
        "请选择投诉类别。",
    ),
    (
        "category_not_applicable",
        "Only complaints have a category.",
        "只有投诉需要选择类别。",
    ),
    ("empty_attachment", "The file is empty.", "文件为空。"),
    (
        "attachment_too_large",
        "The file is larger than 5 MB. Send a smaller file, or several.",
        "文件超过 5 MB。请发送较小的文件，或分成几个文件。",
    ),
    (
        "unsupported_attachment",
        "Attach a PDF, an image (PNG, JPEG, GIF, WebP) or a plain text file.",
        "请附上 PDF、图片（PNG、JPEG、GIF、WebP）或纯文本文件。",
    ),
    (
        "too_many_attachments",
        "A request carries at most 3 attachments.",
        "每个请求最多附 3 个文件。",
    ),
    (
        "already_escalated",
        "This request is already with an administrator.",
        "此请求已转交管理员。",
    ),
    (
        "request_closed",
        "The request is closed; file a new one, or a complaint if you disagree.",
        "此请求已结束；如有异议，请提交新的请求或投诉。",
    ),
    (
        "payload_too_large",
        "This is larger than the portal accepts.",
        "内容超出了门户可接受的大小。",
    ),
    (
        "account_frozen",
        "Your account is under a legal hold, so nothing can be deleted and it cannot be cancelled until the hold is released. Reason: ",
        "你的账号处于法律保全（冻结）状态，解除之前不能删除任何数据，也不能注销。原因：",
    ),
    (
        "account_not_found",
        "There is no account with that ID.",
        "没有这个 ID 的账号。",
    ),
    (
        "not_frozen",
        "That account is not frozen.",
        "该账号未被冻结。",
    ),
    (
        "invalid_reason",
        "Give a reason of at most 500 characters.",
        "请填写原因，不超过 500 个字符。",
    ),
    (
        "invalid_period",
        "Choose a period of 1 to 90 days.",
        "请选择 1 到 90 天。",
    ),
    (
        "already_cancelling",
        "Your account is already being cancelled.",
        "你的账号已在注销冷静期中。",
    ),
    (
        "account_cancelling",
        "Your account is being cancelled: undo the cancellation to turn features on again.",
        "你的账号正在注销：撤销注销后才能重新开启功能。",
    ),
    (
        "no_cancellation",
        "Your account is not being cancelled.",
        "你的账号没有在注销中。",
    ),
    (
        "reauth_required",
        "Enter your password again to continue.",
        "请再次输入密码以继续。",
    ),
    (
        "invalid_date",
        "Write the day as YYYY-MM-DD, for example 2026-03-31.",
        "请按 YYYY-MM-DD 格式填写日期，例如 2026-03-31。",
    ),
    (
        "date_out_of_range",
        "Choose a day between 1970-01-01 and 2999-12-31.",
        "请选择 1970-01-01 至 2999-12-31 之间的日期。",
    ),
    (
        "inverted_range",
        "The first day comes after the last; swap them.",
        "开始日期晚于结束日期，请对调。",
    ),
    (
        "not_dated",
        "The items of this category have no dates to choose by.",
        "此类别的内容没有日期，无法按日期筛选。",
    ),
    (
        "not_searchable",
        "Only messages and posts can be searched by text.",
        "只有消息和动态可以按文字搜索。",
    ),
    (
        "export_running",
        "An export is already being prepared; wait for it or cancel it first.",
        "已有一个导出正在准备中；请等待其完成或先取消。",
    ),
    (
        "export_expired",
        "This export was deleted after 7 days. Ask for a new one.",
        "该导出已在 7 天后删除，请重新申请。",
    ),
    (
        "export_not_ready",
        "This export is not ready yet.",
        "该导出尚未准备好。",
    ),
    (
        "export_not_found",
        "There is no such export.",
        "没有找到该导出。",
    ),
    (
        "gpc_signal",
        "Your browser sends Global Privacy Control, which keeps this off. Switch the signal off in your browser to turn it on.",
        "你的浏览器正在发送全球隐私控制信号，此项保持关闭。如需开启，请先在浏览器中关闭该信号。",
    ),
    (
        "policy_not_accepted",
        "Accept the new privacy policy first; then you can turn this on.",
        "请先同意新版隐私政策，然后即可开启。",
    ),
    (
        "guardian_email_required",
        "Enter your parent's or guardian's e-mail address: they confirm this for you.",
        "请输入父母或监护人的电子邮箱：需由其为你确认。",
    ),
    (
        "guardian_is_holder",
        "This is your own address; enter your parent's or guardian's.",
        "这是你自己的邮箱，请输入父母或监护人的邮箱。",
    ),
    (
        "too_many_mails",
        "That address has been sent enough requests today. Try again tomorrow.",
        "今天已向该邮箱发送过多请求，请明天再试。",
    ),
    (
        "policy_outdated",
        "A newer version is in force now. Reload the page and read it first.",
        "现行版本已更新，请刷新页面并先阅读新版本。",
    ),
    (
        "version_exists",
        "That version is published already: choose a new name.",
        "该版本已发布，请使用新的版本名称。",
    ),
    (
        "not_deletable",
        "These items cannot be deleted one by one.",
        "此类内容不能逐条删除。",
    ),
    (
        "not_clearable",
        "This category cannot be cleared at once.",
        "此类别不能一次全部删除。",
    ),
    (
        "unknown_friend",
        "Choose people from your friends list.",
        "请从你的好友列表中选择。",
    ),
    (
        "not_found",
        "Not found. Check what you entered; it may also have been deleted.",
        "未找到。请检查输入的内容，也可能已被删除。",
    ),
    (
        "field_required",
        "This field cannot be empty; correct it instead.",
        "此字段不能为空，请改为更正。",
    ),
];

/// Names of the data pages' categories, fields, values and controls, and
/// other keyed texts: (key, English, Chinese). Request kinds, statuses,
/// events and officer actions are exhaustive matches on their enums instead
/// (`Texts::kind_name` and the rest), so a missing one fails to compile.
static TERMS: &[(&str, &str, &str)] = &[
    // Forgotten password and account re-access (issue #16).
    ("forgot_link", "Forgot your password?", "忘记密码？"),
    (
        "reaccess_hold_label",
        "Hold before a granted re-access opens (hours)",
        "账号找回批准后的等待时间（小时）",
    ),
    (
        "reaccess_hold_hint",
        "1 to 168. During the hold the e-mail address and mobile on file are told and can stop the access.",
        "1 到 168。等待期间会通知预留的邮箱和手机，对方可以阻止此次访问。",
    ),
    ("forgot_title", "Forgot your password", "忘记密码"),
    (
        "forgot_intro",
        "Enter your account's e-mail address. If it has an account, we send a link to choose a new password; it works once, for 15 minutes.",
        "请输入账号的电子邮箱。如果该邮箱有账号，我们会发送设置新密码的链接，链接仅可使用一次，15 分钟内有效。",
    ),
    ("forgot_submit", "Send the link", "发送链接"),
    ("forgot_sent_title", "Check your inbox", "请查收邮件"),
    (
        "forgot_sent_body",
        "If the address has an account, a link to choose a new password is on its way. It works once, for 15 minutes. Nothing arrives? Check the spam folder, or ask again in a few minutes.",
        "如果该邮箱有账号，设置新密码的链接已经发出，仅可使用一次，15 分钟内有效。没有收到？请查看垃圾邮件，或几分钟后再试。",
    ),
    ("forgot_again", "Ask for a new link", "重新获取链接"),
    (
        "reaccess_link",
        "No longer have the e-mail address or mobile? Ask for account re-access",
        "无法使用邮箱或手机？申请找回账号",
    ),
    ("reset_title", "Choose a new password", "设置新密码"),
    (
        "reset_intro",
        "Setting a new password signs out every session of your account.",
        "设置新密码后，您账号的所有登录会话都会结束。",
    ),
    ("reset_submit", "Set the new password", "设置新密码"),
    (
        "reset_done",
        "Your password was changed and every session ended. Sign in with the new password.",
        "密码已更改，所有登录会话已结束。请使用新密码登录。",
    ),
    ("reaccess_title", "Account re-access", "账号找回"),
    (
        "reaccess_intro",
        "For when you cannot reset your password because you no longer have the e-mail address or mobile on file. Answer what you can: the more you know, the better we can confirm the account is yours. You get an acknowledgment number at once and an answer normally within 4 hours.",
        "适用于您已无法使用预留的邮箱或手机、不能自行重置密码的情况。请尽可能回答以下问题：您知道的越多，我们越能确认账号属于您。提交后立即获得受理编号，通常在 4 小时内给出结果。",
    ),
    (
        "reaccess_account",
        "Account ID or e-mail address of the account",
        "账号 ID 或账号邮箱",
    ),
    (
        "reaccess_account_hint",
        "The account ID is on your profile, e.g. wxid_…",
        "账号 ID 显示在个人资料中，例如 wxid_…",
    ),
    ("reaccess_contact", "Where we answer you", "接收答复的邮箱"),
    (
        "reaccess_contact_hint",
        "An address you can read now; the link to get back in is sent here.",
        "请填写您现在能收到邮件的地址，找回链接将发送到这里。",
    ),
    ("reaccess_details", "What happened", "发生了什么"),
    (
        "reaccess_verification",
        "Verification information",
        "验证信息",
    ),
    (
        "reaccess_verification_hint",
        "Old passwords are checked and never kept. Separate several devices, places or names with commas.",
        "旧密码仅用于核对，不会保存。多个设备、地点或姓名请用逗号分隔。",
    ),
    (
        "reaccess_old_password",
        "A password the account had",
        "账号用过的密码",
    ),
    (
        "reaccess_old_password_2",
        "Another password it had (optional)",
        "另一个用过的密码（可选）",
    ),
    (
        "reaccess_email",
        "The e-mail address on file",
        "预留的电子邮箱",
    ),
    (
        "reaccess_mobile",
        "The mobile number on file",
        "预留的手机号码",
    ),
    ("reaccess_month", "When you registered", "注册时间"),
    (
        "reaccess_month_hint",
        "Year and month, e.g. 2019-03.",
        "年和月，例如 2019-03。",
    ),
    ("reaccess_method", "How you registered", "注册方式"),
    ("method_web", "On the website", "网站注册"),
    ("method_mobile_app", "In the mobile app", "手机应用注册"),
    (
        "method_operator",
        "Created for me by the operator",
        "由运营方代为创建",
    ),
    (
        "reaccess_devices",
        "Devices you signed in with",
        "登录过的设备",
    ),
    (
        "reaccess_places",
        "Places you used the account from",
        "使用账号的地点",
    ),
    ("reaccess_friends", "Friends' names", "好友的名字"),
    (
        "reaccess_list_hint",
        "Up to 5, separated by commas.",
        "最多 5 个，用逗号分隔。",
    ),
    (
        "reaccess_submit",
        "Send the re-access request",
        "提交找回申请",
    ),
    (
        "reaccess_filed_note",
        "We answer at the address you gave. If access is granted, the link works only after a waiting period during which the account's e-mail address and mobile on file are told and can stop it.",
        "我们会通过您填写的邮箱答复。如果批准找回，链接需等待一段时间后才能使用；等待期间我们会通知账号预留的邮箱和手机，对方可以阻止。",
    ),
    (
        "stop_title",
        "Stop access to your account",
        "阻止访问您的账号",
    ),
    (
        "stop_intro",
        "Someone was given access to your account through a re-access request. If it was not you, stop it: their link will not work.",
        "有人通过账号找回申请获得了您账号的访问权限。如果不是您本人，请阻止：对方的链接将失效。",
    ),
    ("stop_submit", "Stop this access", "阻止此次访问"),
    (
        "stop_done",
        "Stopped. The link will not work. Sign in and change your password if you think someone knows it.",
        "已阻止，该链接将失效。如果您认为有人知道您的密码，请登录并修改密码。",
    ),
    ("reaccess_check", "Verification check", "验证核对"),
    ("reaccess_score", "Score", "得分"),
    (
        "reaccess_no_card",
        "The request came without structured answers: check the free text yourself.",
        "该申请未提供结构化回答，请自行核对文字说明。",
    ),
    (
        "reaccess_no_account",
        "No account has this identifier.",
        "没有账号使用该标识。",
    ),
    (
        "reaccess_others",
        "Other re-access requests for this account in 30 days",
        "30 天内针对该账号的其他找回申请",
    ),
    ("reaccess_item", "Item", "项目"),
    ("reaccess_result", "Result", "结果"),
    ("reaccess_points", "Points", "分数"),
    ("band_strong", "strong", "高"),
    ("band_some", "some", "中"),
    ("band_weak", "weak", "低"),
    ("outcome_matched", "matched", "一致"),
    ("outcome_partly", "partly", "部分一致"),
    ("outcome_not_matched", "not matched", "不一致"),
    ("outcome_not_given", "not given", "未提供"),
    ("outcome_no_record", "nothing on file", "无记录"),
    ("item_old_passwords", "Old passwords", "旧密码"),
    ("item_email", "E-mail on file", "预留邮箱"),
    ("item_mobile", "Mobile on file", "预留手机"),
    ("item_registered_month", "Registration month", "注册月份"),
    (
        "item_registration_method",
        "Registration method",
        "注册方式",
    ),
    ("item_devices", "Devices", "设备"),
    ("item_places", "Places", "地点"),
    ("item_friends", "Friends", "好友"),
    // Incident notices (issue #16).
    ("incidents_title", "Incident notices", "安全事件通知"),
    (
        "incidents_intro",
        "Tell the people affected by a security incident what happened, what data was involved, what was done and what they should do. A published notice cannot change: write an update that follows it.",
        "告知受安全事件影响的用户：发生了什么、涉及哪些数据、已采取的措施以及建议。通知发布后不可修改，如需补充请发布后续更新。",
    ),
    ("incidents_list", "Notices", "通知列表"),
    ("incidents_none", "No notices yet.", "暂无通知。"),
    ("incident_new", "New notice", "新建通知"),
    ("incident_title_en", "Title (English)", "标题（英文）"),
    ("incident_title_zh", "Title (Chinese)", "标题（中文）"),
    ("incident_occurred_on", "When it happened", "发生日期"),
    (
        "incident_what_en",
        "What happened (English)",
        "发生了什么（英文）",
    ),
    (
        "incident_what_zh",
        "What happened (Chinese)",
        "发生了什么（中文）",
    ),
    (
        "incident_actions_en",
        "What we have done (English)",
        "已采取的措施（英文）",
    ),
    (
        "incident_actions_zh",
        "What we have done (Chinese)",
        "已采取的措施（中文）",
    ),
    (
        "incident_advice_en",
        "What people should do (English)",
        "建议用户采取的措施（英文）",
    ),
    (
        "incident_advice_zh",
        "What people should do (Chinese)",
        "建议用户采取的措施（中文）",
    ),
    ("incident_contact", "Whom to contact", "联系方式"),
    (
        "incident_data_categories",
        "Categories of data involved (e.g. location, steps)",
        "涉及的数据类别（例如 location, steps）",
    ),
    ("incident_audience", "Who is affected", "影响范围"),
    (
        "audience_categories",
        "Holders with data in these categories",
        "拥有以下类别数据的用户",
    ),
    ("audience_everyone", "Everyone", "所有用户"),
    ("audience_accounts", "These accounts", "指定账号"),
    ("audience_categories_label", "Categories", "类别"),
    (
        "audience_accounts_label",
        "Account IDs (one per line or comma-separated)",
        "账号 ID（每行一个或用逗号分隔）",
    ),
    (
        "incident_follows",
        "Updates the notice (its ID, optional)",
        "更新的通知（ID，可选）",
    ),
    ("incident_save", "Save the draft", "保存草稿"),
    (
        "incident_saved",
        "Draft saved. Publish it from the list below.",
        "草稿已保存，请在下方列表中发布。",
    ),
    ("incident_status", "Status", "状态"),
    ("incident_draft", "draft", "草稿"),
    ("incident_published", "published", "已发布"),
    ("incident_delivered", "Delivered", "已送达"),
    ("incident_acknowledged", "Acknowledged", "已确认"),
    ("incident_emailed", "E-mails sent", "已发送邮件"),
    ("incident_publish", "Publish", "发布"),
    (
        "incident_csv",
        "Deliveries (CSV for the regulator)",
        "送达记录（供监管报告的 CSV）",
    ),
    ("incident_what", "What happened", "发生了什么"),
    ("incident_data", "Data involved", "涉及的数据"),
    ("incident_done", "What we have done", "我们已采取的措施"),
    ("incident_todo", "What you should do", "建议您"),
    ("incident_contact_label", "Contact", "联系方式"),
    ("incident_ack", "I have read this", "我已阅读"),
    ("incident_update_prefix", "Update: ", "更新："),
    // The administrator's legal holds and settings.
    ("holds_title", "Legal holds and settings", "法律保全与设置"),
    (
        "holds_intro",
        "A frozen account cannot delete data or be cancelled until it is released; a cancellation under way waits. Every freeze and release is in the audit log.",
        "被冻结的账号在解除之前不能删除数据，也不能注销；正在进行的注销会暂停。每一次冻结和解除都记入审计日志。",
    ),
    ("hold_title", "Legal hold", "法律保全"),
    ("hold_account", "Account ID", "账号 ID"),
    (
        "hold_reason",
        "Reason (the holder may be told it)",
        "原因（可能告知账号持有人）",
    ),
    ("hold_freeze", "Freeze", "冻结"),
    ("hold_release", "Release", "解除冻结"),
    ("hold_frozen", "Frozen since", "冻结时间"),
    ("hold_released", "Released.", "已解除冻结。"),
    ("settings_title", "Settings", "设置"),
    (
        "cooling_off_label",
        "Cooling-off period before an account is erased (days, 1–90)",
        "账号注销冷静期（天，1–90）",
    ),
    (
        "regulator_label",
        "The regulator line that ends every answer to a complaint",
        "每一份投诉答复末尾关于监管部门的说明",
    ),
    (
        "regulator_hint",
        "Name the regulator and how to reach it. Answers already given keep the line they were given with.",
        "请写明监管部门及联系方式。已经发出的答复保留当时的说明。",
    ),
    ("settings_save", "Save settings", "保存设置"),
    ("settings_saved", "Saved.", "已保存。"),
    // Complaints: category, attachments, escalation.
    (
        "complaint_category",
        "What is the complaint about?",
        "投诉类别",
    ),
    ("choose", "Choose…", "请选择…"),
    ("attachment_label", "Attachment (optional)", "附件（可选）"),
    (
        "attachment_hint",
        "A PDF, an image or a text file, at most 5 MB. It is checked by its content.",
        "PDF、图片或文本文件，不超过 5 MB。系统会按文件内容检查类型。",
    ),
    ("attachments_title", "Attachments", "附件"),
    ("add_attachment", "Add a file", "添加文件"),
    ("uploading", "Uploading…", "正在上传…"),
    (
        "attachment_failed",
        "The request was filed, but the file was not attached:",
        "请求已提交，但文件未能附上：",
    ),
    ("attached", "Attached", "已附上"),
    ("escalated_badge", "With an administrator", "已转交管理员"),
    (
        "escalate_reason",
        "Why it needs an administrator (shown to the requester)",
        "转交原因（申请人可见）",
    ),
    ("send_message", "Write to the officer", "给隐私官留言"),
    ("message_sent", "Sent.", "已发送。"),
    ("escalated_only", "Escalated only", "仅显示已转交"),
    // The data pages: fields, values and controls.
    ("steps", "Steps", "步数"),
    ("data_title", "My data", "我的数据"),
    (
        "data_intro",
        "Everything we hold about you, by category. Open a category to see, correct or delete it.",
        "我们持有的关于你的全部数据，按类别列出。打开一个类别即可查阅、更正或删除。",
    ),
    ("items", "items", "项"),
    ("item", "item", "项"),
    ("times_in", "Times are shown in", "时间按此时区显示："),
    ("nothing_here", "Nothing here.", "这里没有内容。"),
    ("range_from", "From", "开始日期"),
    ("range_to", "To", "结束日期"),
    ("range_search", "Containing the text", "包含文字"),
    ("range_show", "Show", "显示"),
    ("range_all", "Show everything", "显示全部"),
    ("range_legend", "Narrow the list", "筛选列表"),
    (
        "range_delete",
        "Delete everything in these days",
        "删除这些日期内的全部内容",
    ),
    (
        "range_delete_confirm",
        "Delete every item of this category in the chosen days? This cannot be undone.",
        "确定删除所选日期内此类别的全部内容吗？删除后无法恢复。",
    ),
    ("range_delete_yes", "Yes, delete them", "确认删除"),
    (
        "deleted_range",
        "Deleted a range of days",
        "已删除一段日期的内容",
    ),
    ("range", "Days", "日期范围"),
    ("oldest", "Oldest", "最早"),
    ("newest", "Newest", "最新"),
    ("collecting_on", "Collection on", "正在收集"),
    ("collecting_off", "Collection off", "已停止收集"),
    ("steps_last_30", "The last 30 days", "最近 30 天"),
    ("steps_year", "The year", "全年"),
    ("steps_table", "Steps per day", "每日步数"),
    (
        "steps_chart_label",
        "Daily steps, one bar per day",
        "每日步数柱状图，每天一根",
    ),
    (
        "steps_heat_label",
        "Daily steps over the year, one square per day",
        "全年每日步数，每天一格",
    ),
    ("steps_less", "Fewer", "少"),
    ("steps_more", "More", "多"),
    ("no_record", "no record", "无记录"),
    ("day", "Day", "日期"),
    ("plot_title", "Where you were", "位置分布"),
    (
        "plot_label",
        "Location points drawn on a plot, north up",
        "位置点分布图，上方为北",
    ),
    ("plot_north", "N", "北"),
    ("plot_count", "points drawn", "个位置点"),
    (
        "plot_cap",
        "Only the newest 5,000 points are drawn; choose fewer days to see the rest.",
        "仅绘制最新的 5,000 个点；选择更短的日期范围可查看其余位置。",
    ),
    ("sort_by", "Sort by", "排序依据"),
    ("when", "When", "时间"),
    ("actions", "Actions", "操作"),
    ("load_more", "Show more", "加载更多"),
    ("delete", "Delete", "删除"),
    (
        "confirm_delete",
        "Delete this for good? This cannot be undone.",
        "确定永久删除？删除后无法恢复。",
    ),
    ("confirm_yes_delete", "Yes, delete", "确认删除"),
    ("cancel", "Cancel", "取消"),
    // The consent page.
    ("consents_title", "Consents", "授权管理"),
    (
        "consents_intro",
        "Each feature below uses your data only while it is on. Turning one off stops that feature and nothing else; \"turn off and clear\" also deletes what it collected.",
        "以下每项功能仅在开启时使用你的数据。关闭某项只会停止该功能，其他功能不受影响；“关闭并清除”还会删除该功能已收集的数据。",
    ),
    ("consent_history_title", "Consent history", "授权记录"),
    ("consent_feature", "Feature", "功能"),
    ("consent_channel", "How", "方式"),
    ("consent_policy_version", "Privacy policy", "隐私政策版本"),
    ("sensitive", "Sensitive", "敏感信息"),
    ("turn_on", "Turn on", "开启"),
    ("turn_off", "Turn off", "关闭"),
    ("turn_off_clear", "Turn off and clear", "关闭并清除"),
    (
        "confirm_clear_consent",
        "Turn this off and delete everything it collected? This cannot be undone.",
        "关闭该功能并删除其已收集的全部数据？此操作无法撤销。",
    ),
    (
        "awaiting_guardian",
        "Waiting for your guardian to confirm.",
        "等待你的监护人确认。",
    ),
    ("consent_granted", "Turned a feature on", "开启了功能"),
    (
        "consent_asked_guardian",
        "Asked a guardian to allow a feature",
        "请求监护人同意开启功能",
    ),
    (
        "policy_accepted",
        "Accepted the privacy policy",
        "同意了隐私政策",
    ),
    (
        "read_and_accept",
        "Read what changed and accept it",
        "查看变更并同意",
    ),
    ("privacy_policy_title", "Privacy policy", "隐私政策"),
    (
        "privacy_policy_intro",
        "Every version of our privacy policy, newest first, with what changed. The features you turn on run under the version in force.",
        "隐私政策的每个版本（最新在前）及其变更摘要。你开启的功能均按现行版本运行。",
    ),
    ("policy_in_force", "In force", "现行版本"),
    (
        "policy_accepted_yes",
        "You have accepted the version in force.",
        "你已同意现行版本。",
    ),
    ("accept_policy", "I accept this version", "我同意此版本"),
    ("policy_published", "Published", "发布于"),
    (
        "publish_policy_title",
        "Publish a new version",
        "发布新版本",
    ),
    ("policy_version", "Version", "版本"),
    ("policy_summary", "What changed", "变更摘要"),
    ("publish_policy", "Publish", "发布"),
    (
        "publish_policy_hint",
        "Once published, it is in force: every holder is asked to accept it, and their features pause until they do.",
        "发布后即生效：所有用户都会被请求同意，在同意前其已开启的功能将暂停。",
    ),
    (
        "policy_acceptance",
        "Privacy policy accepted",
        "同意隐私政策",
    ),
    (
        "paused_for_policy",
        "Paused until you accept the new privacy policy.",
        "已暂停，待你同意新版隐私政策后恢复。",
    ),
    (
        "gpc_note",
        "If your browser sends Global Privacy Control, we treat it as turning off marketing messages and personalised ads, and keep them off while it does. Nothing else changes.",
        "如果你的浏览器发送“全球隐私控制”（GPC）信号，我们会将其视为关闭营销信息和个性化广告，并在信号存在期间保持关闭。其他功能不受影响。",
    ),
    (
        "gpc_active",
        "Your browser sends Global Privacy Control: this stays off.",
        "你的浏览器正在发送全球隐私控制信号：此项保持关闭。",
    ),
    (
        "guardian_needed",
        "Because you are under 18, a parent or guardian must agree. We will e-mail them a link.",
        "由于你未满 18 周岁，需要父母或监护人同意。我们会向其发送一封带链接的邮件。",
    ),
    (
        "guardian_email",
        "Parent's or guardian's e-mail",
        "父母或监护人的电子邮箱",
    ),
    ("ask_guardian", "Ask my guardian", "请求监护人同意"),
    (
        "guardian_title",
        "A request to allow a feature",
        "开启功能的同意请求",
    ),
    (
        "guardian_intro",
        "A young person asks to turn on a feature that uses sensitive personal information. As their parent or guardian, you decide.",
        "一位未成年用户希望开启一项会处理敏感个人信息的功能。作为其父母或监护人，由你决定。",
    ),
    ("guardian_agree", "I agree", "我同意"),
    (
        "guardian_decline_hint",
        "If you do not agree, close this page: the feature stays off, and the link stops working after 7 days.",
        "如果你不同意，关闭本页即可：该功能不会开启，链接将在 7 天后失效。",
    ),
    (
        "guardian_done",
        "Thank you. The feature is now on; the young person can turn it off at any time.",
        "谢谢。该功能已开启；该用户可随时关闭。",
    ),
    ("guardian_who", "Asked by", "请求人"),
    ("link_valid_until", "The link works until", "链接有效期至"),
    ("consent_withdrawn", "Turned a feature off", "关闭了功能"),
    (
        "consent_cleared",
        "Turned a feature off and cleared it",
        "关闭并清除了功能",
    ),
    (
        "clear_all",
        "Delete all in this category",
        "删除此类别全部内容",
    ),
    (
        "confirm_clear",
        "Delete everything in this category for good?",
        "确定永久删除此类别的全部内容？",
    ),
    ("confirm_yes_clear", "Yes, delete all", "确认全部删除"),
    ("view_messages", "Show messages", "查看消息"),
    (
        "reauth_prompt",
        "Enter your password again to continue",
        "请再次输入密码以继续",
    ),
    ("reauth_submit", "Confirm", "确认"),
    ("export_index_title", "Your personal data", "你的个人数据"),
    ("export_requested", "Asked for an export", "申请导出"),
    (
        "export_downloaded",
        "Downloaded an export",
        "下载了导出文件",
    ),
    (
        "export_index_intro",
        "Everything the Privacy Rights Portal holds about you, as you asked for it. Each part is a file in this folder: JSON for programs, CSV for spreadsheets, GeoJSON for maps.",
        "这是隐私权利门户保存的关于你的全部数据（按你选择的范围）。每一部分都是本文件夹中的文件：JSON 供程序读取，CSV 供电子表格使用，GeoJSON 供地图工具使用。",
    ),
    ("export_made_at", "Exported at", "导出时间"),
    ("export_parts", "What is in this archive", "本压缩包的内容"),
    ("export_col_category", "Category", "类别"),
    ("export_col_items", "Items", "条目数"),
    ("export_col_files", "Files", "文件"),
    (
        "export_index_formats",
        "README.txt explains each format; manifest.json lists every file with its SHA-256 checksum.",
        "README.txt 说明了每种格式；manifest.json 列出了每个文件及其 SHA-256 校验值。",
    ),
    ("exports_title", "Export my data", "导出我的数据"),
    ("cancel_title", "Cancel my account", "注销账号"),
    (
        "cancel_deleted_title",
        "What will be deleted",
        "将被删除的内容",
    ),
    (
        "cancel_deleted_data",
        "Every category of your personal data: profile, posts, messages, friends, location, steps, contacts, cards, devices, sign-ins, settings, consents and your activity.",
        "你的全部个人信息：资料、动态、消息、好友、位置、步数、通讯录、银行卡、设备、登录记录、设置、授权记录以及操作记录。",
    ),
    (
        "cancel_deleted_sessions",
        "Every session and sign-in on every device: you are signed out everywhere, and the password stops working.",
        "所有设备上的登录状态：你将在所有设备上退出，密码也将失效。",
    ),
    (
        "cancel_deleted_exports",
        "Your exports, and every e-mail waiting to be sent to you.",
        "你的导出文件，以及所有尚未发送给你的邮件。",
    ),
    (
        "cancel_deleted_address",
        "Your e-mail address is released: it can sign up again as a new account.",
        "你的邮箱地址将被释放，可以用来注册新账号。",
    ),
    (
        "cancel_kept_title",
        "What is kept, and why",
        "将被保留的内容及原因",
    ),
    (
        "cancel_kept_requests",
        "Your privacy requests and our answers, with their timelines, because the law asks us to show that each one was answered in time. Your name, e-mail and account are removed from them.",
        "你提出的隐私请求及我们的答复和处理记录，因为法律要求我们证明每个请求都已按时答复。其中你的姓名、邮箱和账号将被移除。",
    ),
    (
        "cancel_kept_audit",
        "The audit log of what was done and by whom, under a pseudonym that no longer leads to you.",
        "记录操作内容及操作人的审计日志，以化名保存，无法再关联到你。",
    ),
    (
        "cancel_export_first",
        "Want a copy first? Export your data before you cancel.",
        "需要先保留一份副本？请在注销前导出你的数据。",
    ),
    (
        "cancel_password",
        "Enter your password to continue",
        "请输入密码以继续",
    ),
    (
        "cancel_understood",
        "I understand that my account and personal data will be erased when the cooling-off period ends.",
        "我已了解：冷静期结束后，我的账号和个人信息将被永久删除。",
    ),
    ("cancel_confirm", "Cancel my account", "确认注销账号"),
    (
        "cancel_pending",
        "Your account will be erased on",
        "你的账号将于以下时间注销：",
    ),
    (
        "cancel_held",
        "A legal hold stops the clock: nothing happens until it is released, and the days left are kept.",
        "账号处于依法冻结状态，冷静期暂停计时：解除冻结前不会注销，剩余天数保持不变。",
    ),
    (
        "cancel_undo_hint",
        "Undo it and the account stays as it is; you can turn your features on again.",
        "撤销后账号保持不变，你可以重新开启各项功能。",
    ),
    ("cancel_undo", "Undo cancellation", "撤销注销"),
    ("cancel_details", "Details", "详情"),
    (
        "cancel_frozen",
        "Your account is under a legal hold.",
        "你的账号已被依法冻结。",
    ),
    (
        "cancel_frozen_reason",
        "Until it is released, nothing can be deleted and the account cannot be cancelled. Reason:",
        "冻结解除前，无法删除任何数据，也无法注销账号。原因：",
    ),
    (
        "exports_intro",
        "Get a ZIP of your whole account or of the categories you choose. It is prepared in the background; you can leave this page. To download it you enter your password again, and it is deleted after 7 days.",
        "获取整个账号或所选类别数据的 ZIP 压缩包。压缩包在后台准备，你可以离开本页。下载前需要再次输入密码，7 天后自动删除。",
    ),
    ("exports_whole", "My whole account", "整个账号"),
    (
        "exports_chosen",
        "Only the categories I choose",
        "仅所选类别",
    ),
    ("exports_choose", "Categories", "类别"),
    ("exports_start", "Prepare my export", "开始准备导出"),
    ("exports_list", "My exports", "我的导出"),
    (
        "exports_none",
        "You have no exports yet.",
        "你还没有导出记录。",
    ),
    ("exports_made", "Asked for", "申请时间"),
    ("exports_scope", "Contents", "内容"),
    ("exports_progress", "Progress", "进度"),
    ("exports_expires", "Can be downloaded until", "可下载至"),
    ("exports_size", "Size", "大小"),
    ("exports_download", "Download the ZIP", "下载 ZIP"),
    ("exports_remove", "Delete", "删除"),
    ("exports_cancel", "Cancel", "取消"),
    (
        "exports_from_request",
        "Attached by the privacy officer to request",
        "隐私官随申请附上：",
    ),
    (
        "exports_reauth",
        "Enter your password again to download (valid 5 minutes).",
        "下载前请再次输入密码（5 分钟内有效）。",
    ),
    ("export_status_queued", "Waiting to start", "等待开始"),
    ("export_status_building", "Being prepared", "正在准备"),
    ("export_status_ready", "Ready", "已就绪"),
    (
        "export_status_expired",
        "Expired and deleted",
        "已过期并删除",
    ),
    ("export_status_failed", "Could not be prepared", "准备失败"),
    (
        "reauth_done",
        "Thank you. You can now repeat the change within 5 minutes.",
        "已确认。请在 5 分钟内重新提交更改。",
    ),
    ("save", "Save", "保存"),
    ("saved", "Saved.", "已保存。"),
    (
        "fixed_field",
        "Fixed: it cannot be changed here.",
        "固定字段：无法在此修改。",
    ),
    (
        "immutable_offer",
        "This field cannot be changed here. The privacy officer can correct it for you.",
        "此字段无法在此修改，隐私官可以为你更正。",
    ),
    (
        "ask_officer",
        "Ask the privacy officer to correct this",
        "请隐私官更正",
    ),
    (
        "correction_filed",
        "Correction request filed. Acknowledgment number:",
        "更正申请已提交，受理编号：",
    ),
    ("account_id", "Account ID", "微信号"),
    ("qr_code", "QR code", "二维码名片"),
    ("display_name", "Name", "名字"),
    ("photo", "Profile photo", "头像"),
    ("gender", "Gender", "性别"),
    ("female", "Female", "女"),
    ("male", "Male", "男"),
    ("unspecified", "Not specified", "未设置"),
    ("region", "Region", "地区"),
    ("signature", "What's up", "个性签名"),
    ("address", "Address", "地址"),
    ("time_zone", "Time zone", "时区"),
    ("email", "E-mail", "电子邮箱"),
    ("mobile", "Mobile number", "手机号"),
    ("linked_qq", "Linked QQ number", "绑定的 QQ 号"),
    ("voiceprint", "Voiceprint", "声音锁"),
    ("not_enrolled", "Not set up", "未设置"),
    ("password", "Password", "密码"),
    ("never_shown", "Never shown", "从不显示"),
    ("emergency_contact", "Emergency contact", "紧急联系人"),
    ("text", "Text", "内容"),
    ("place", "Place", "位置"),
    ("photos", "Photos", "照片"),
    ("comments", "Comments", "评论"),
    ("likes", "Likes", "点赞"),
    ("peer", "With", "对方"),
    ("message_count", "Messages", "消息数"),
    ("direction", "Direction", "方向"),
    ("outgoing", "Sent by me", "我发出的"),
    ("incoming", "Sent to me", "我收到的"),
    ("name", "Name", "名称"),
    ("latitude", "Latitude", "纬度"),
    ("longitude", "Longitude", "经度"),
    ("accuracy_m", "Accuracy (m)", "精度（米）"),
    (
        "hash",
        "Hash (the number itself is not kept)",
        "哈希值（不保存号码本身）",
    ),
    ("bank", "Bank", "银行"),
    ("card_type", "Card type", "卡类型"),
    ("debit", "Debit card", "储蓄卡"),
    ("credit", "Credit card", "信用卡"),
    ("card_number", "Card number", "卡号"),
    ("device_model", "Device", "设备型号"),
    ("os", "System", "操作系统"),
    ("app_version", "App version", "应用版本"),
    ("first_seen", "First seen", "首次使用"),
    ("ip", "IP address", "IP 地址"),
    ("feature", "Feature", "功能"),
    ("granted", "Granted", "已授权"),
    ("yes", "Yes", "是"),
    ("no", "No", "否"),
    ("subject", "Subject", "标题"),
    ("ack", "Acknowledgment number", "受理编号"),
    ("kind", "Kind", "类型"),
    ("status", "Status", "状态"),
    ("due_at", "Due", "截止时间"),
    ("action", "What", "操作"),
    ("category", "Category", "类别"),
    ("field", "Field", "字段"),
    ("deleted", "Deleted", "已删除"),
    ("cleared", "Deleted all", "已全部删除"),
    ("corrected", "Corrected", "已更正"),
    ("changed", "Changed", "已修改"),
    ("added", "Added", "已添加"),
    ("location_feature", "Location", "位置信息"),
    ("voiceprint_feature", "Voiceprint", "声音锁"),
    ("personalised_ads", "Personalised ads", "个性化广告"),
    (
        "settings_find",
        "Friends and how people find me",
        "好友与找到我的方式",
    ),
    (
        "friend_confirmation",
        "Ask me before people add me as a friend",
        "加我为朋友时需要验证",
    ),
    (
        "find_by_mobile",
        "Find me by mobile number",
        "可通过手机号搜索到我",
    ),
    (
        "find_by_wechat_id",
        "Find me by account ID",
        "可通过微信号搜索到我",
    ),
    ("find_by_qq", "Find me by QQ number", "可通过 QQ 号搜索到我"),
    ("find_by_qr_code", "Add me by QR code", "可通过二维码添加我"),
    (
        "find_by_group_chat",
        "Add me from group chats",
        "可通过群聊添加我",
    ),
    (
        "find_by_name_card",
        "Add me from name cards",
        "可通过名片添加我",
    ),
    (
        "strangers_see_recent",
        "Strangers may see my ten most recent posts",
        "允许陌生人查看十条朋友圈",
    ),
    (
        "posts_window",
        "Who may see my posts, for how long",
        "朋友圈允许朋友查看的范围",
    ),
    ("all", "All posts", "全部"),
    ("six_months", "Last six months", "最近半年"),
    ("three_days", "Last three days", "最近三天"),
    (
        "dont_share",
        "Don't share my posts with",
        "不让他（她）看我的朋友圈",
    ),
    ("hide", "Hide their posts from me", "不看他（她）的朋友圈"),
    ("steps_count", "Steps", "步数"),
    ("items_count", "Items", "条目数"),
    ("any", "Any", "全部"),
    ("assignee", "Assignee", "负责人"),
    ("anyone", "Anyone", "任何人"),
    ("assigned_to_me", "Assigned to me", "分配给我的"),
    ("unassigned", "Not assigned", "未分配"),
    (
        "withheld_title",
        "Withheld items (for a partial answer)",
        "不予提供的内容（部分答复时填写）",
    ),
    (
        "withheld_hint",
        "Each item you do not give, with the reason, e.g. kept under a legal obligation.",
        "逐项写明不予提供的内容及理由，例如依法须保留。",
    ),
    ("withheld_item", "Item", "内容"),
    ("withheld_reason", "Reason", "理由"),
    ("withheld_add", "Add an item", "添加一项"),
    ("partly-fulfil", "Answer in part", "部分答复"),
    ("requester_data", "The requester's data", "申请人的数据"),
    (
        "requester_data_hint",
        "Only for the officer the request is assigned to; every look is recorded in the audit log.",
        "仅限该申请的负责人查看；每次查看都会记入审计日志。",
    ),
    ("policies_title", "Deadline policies", "期限规则"),
    (
        "policies_intro",
        "Each change makes a new version; requests already received keep the version they were received under.",
        "每次修改都会生成新版本；已受理的申请继续适用受理时的版本。",
    ),
    ("version", "version", "版本"),
    ("policy_length", "Length", "期限长度"),
    ("policy_unit", "Unit", "单位"),
    ("calendar_days", "Calendar days", "自然日"),
    ("working_days", "Working days", "工作日"),
    ("months", "Months", "月"),
    ("hours", "Hours", "小时"),
    ("policy_clock", "The clock starts at", "起算时间"),
    ("clock_receipt", "Receipt", "收到申请时"),
    ("clock_verification", "Identity verification", "身份核验后"),
    (
        "policy_pause",
        "Waiting for the requester pauses the clock",
        "等待申请人补充信息时暂停计时",
    ),
    (
        "policy_extension",
        "Extension (same unit; empty = none)",
        "可延长（同一单位；留空表示不可延长）",
    ),
    ("policy_extension_times", "Extensions allowed", "可延长次数"),
    (
        "policy_reminders",
        "Reminders before the due date (e.g. 7, 3, 1)",
        "到期前提醒（例如 7, 3, 1）",
    ),
    (
        "policy_saved",
        "Saved as a new version.",
        "已保存为新版本。",
    ),
    (
        "policy_length_invalid",
        "Enter a whole number of at least 1.",
        "请输入不小于 1 的整数。",
    ),
    (
        "policy_extension_invalid",
        "Give both the extension length and how many times, or neither.",
        "请同时填写延长长度和次数，或都不填。",
    ),
    (
        "policy_reminders_invalid",
        "Write the reminders as whole numbers separated by commas.",
        "提醒请写为以逗号分隔的整数。",
    ),
    ("audit_title", "Audit log", "审计日志"),
    (
        "audit_intro",
        "Every request action, policy change, staff sign-in, officer look at holder data, and every change holders make to their own data (what changed, never its content), chained by keyed hashes.",
        "每一次申请处理、规则修改、工作人员登录、隐私官查看用户数据，以及用户对自己数据的每次更改（只记录改了什么，不记录内容），均以带密钥的哈希链记录。",
    ),
    (
        "chain_intact",
        "The chain verifies: no entry was altered.",
        "哈希链校验通过：没有记录被篡改。",
    ),
    (
        "chain_broken",
        "The chain is broken at entry",
        "哈希链在此记录处断开：",
    ),
    ("audit_when", "When", "时间"),
    ("audit_who", "Who", "操作人"),
    ("audit_subject", "Subject", "对象"),
    ("audit_detail", "Detail", "详情"),
    (
        "preview_title",
        "How others see my posts",
        "他人看到的我的朋友圈",
    ),
    ("preview_as", "See my posts as", "以此身份查看"),
    ("preview_stranger", "Someone who is not my friend", "陌生人"),
    ("preview_count", "Posts they see:", "对方可见的朋友圈条数："),
    (
        "add_emergency_contact",
        "Add an emergency contact",
        "添加紧急联系人",
    ),
    (
        "contact_mobile",
        "Their mobile number (e.g. +8613912345678)",
        "对方手机号（例如 +8613912345678）",
    ),
    ("add", "Add", "添加"),
    ("due_within", "Due within", "到期时间"),
];

impl Texts {
    /// The name of a timeline event in this language. An exhaustive match:
    /// a new event without its names does not compile.
    #[must_use]
    pub fn event_name(&self, event: domain::requests::Event) -> &'static str {
        use domain::requests::Event;
        let (en, zh) = match event {
            Event::Received => ("Received", "已受理"),
            Event::ClockStarted => ("Deadline set", "开始计时"),
            Event::Assigned => ("Assigned", "已分配"),
            Event::IdentityVerified => ("Identity verified", "身份已核验"),
            Event::InfoRequested => ("Information requested", "要求补充信息"),
            Event::Message => ("Message", "留言"),
            Event::Paused => ("Clock paused", "暂停计时"),
            Event::Resumed => ("Clock resumed", "恢复计时"),
            Event::Extended => ("Deadline extended", "期限已延长"),
            Event::Note => ("Internal note", "内部备注"),
            Event::Overdue => ("Deadline passed", "已超过期限"),
            Event::Fulfilled => ("Answered", "已答复"),
            Event::PartlyFulfilled => ("Partly answered", "部分答复"),
            Event::Refused => ("Refused", "已拒绝"),
            Event::Withdrawn => ("Withdrawn", "已撤回"),
            Event::Escalated => ("Passed to an administrator", "已转交管理员"),
        };
        match self.locale {
            Locale::En => en,
            Locale::Zh => zh,
        }
    }

    /// The name of a request kind.
    #[must_use]
    pub fn kind_name(&self, kind: domain::requests::RequestKind) -> &'static str {
        use domain::requests::RequestKind;
        self.pick(match kind {
            RequestKind::Access => ("See my data", "查阅数据"),
            RequestKind::Copy => ("Copy of everything held", "获取全部数据副本"),
            RequestKind::Correction => ("Correction", "更正"),
            RequestKind::Deletion => ("Deletion", "删除"),
            RequestKind::Objection => ("Objection", "反对处理"),
            RequestKind::Complaint => ("Complaint", "投诉"),
            RequestKind::Reaccess => ("Account re-access", "账号找回"),
        })
    }

    /// The name of a complaint's category.
    #[must_use]
    pub fn complaint_category_name(
        &self,
        category: domain::requests::complaint::ComplaintCategory,
    ) -> &'static str {
        use domain::requests::complaint::ComplaintCategory;
        self.pick(match category {
            ComplaintCategory::DataUse => ("How my data is used", "个人信息的使用"),
            ComplaintCategory::Marketing => ("Marketing", "营销推广"),
            ComplaintCategory::Security => ("Security", "账号与数据安全"),
            ComplaintCategory::AnotherUser => ("Another user", "其他用户"),
            ComplaintCategory::Other => ("Something else", "其他"),
        })
    }

    /// The name of a request status, as its requester reads it.
    #[must_use]
    pub fn status_name(&self, status: domain::requests::Status) -> &'static str {
        use domain::requests::Status;
        self.pick(match status {
            Status::Received => ("Received", "已受理"),
            Status::AwaitingVerification => ("Verifying your identity", "正在核验身份"),
            Status::InProgress => ("In progress", "处理中"),
            Status::AwaitingRequester => ("Waiting for your information", "等待你补充信息"),
            Status::Fulfilled => ("Answered", "已答复"),
            Status::PartlyFulfilled => ("Partly answered", "部分答复"),
            Status::Refused => ("Refused", "已拒绝"),
            Status::Withdrawn => ("Withdrawn", "已撤回"),
        })
    }

    /// The label of an officer's action button.
    #[must_use]
    pub fn verb_name(&self, verb: domain::requests::Verb) -> &'static str {
        use domain::requests::Verb;
        self.pick(match verb {
            Verb::Assign => ("Assign to me", "分配给我"),
            Verb::VerifyIdentity => ("Verify identity", "核验身份"),
            Verb::RequestInfo => ("Ask for information", "要求补充信息"),
            Verb::Extend => ("Extend", "延期"),
            Verb::Fulfil => ("Answer (fulfil)", "答复（已完成）"),
            Verb::PartlyFulfil => ("Answer in part", "部分答复"),
            Verb::Refuse => ("Refuse", "拒绝"),
            Verb::Note => ("Internal note", "内部备注"),
            Verb::Escalate => ("Escalate to an administrator", "转交管理员"),
        })
    }

    /// The name of a data category.
    #[must_use]
    pub fn category_name(&self, category: domain::data::Category) -> &'static str {
        use domain::data::Category;
        self.pick(match category {
            Category::Profile => ("Profile", "个人资料"),
            Category::AccountSecurity => ("Account security", "账号安全"),
            Category::Posts => ("Posts", "朋友圈"),
            Category::Conversations => ("Conversations", "聊天会话"),
            Category::Messages => ("Messages", "聊天消息"),
            Category::Friends => ("Friends", "好友"),
            Category::Blocked => ("Blocked", "黑名单"),
            Category::Location => ("Location records", "位置记录"),
            Category::Steps => ("Daily steps", "每日步数"),
            Category::Contacts => ("Uploaded contacts", "上传的通讯录"),
            Category::Cards => ("Bank cards", "银行卡"),
            Category::Devices => ("Devices", "设备"),
            Category::SignIns => ("Sign-in log", "登录记录"),
            Category::Consents => ("Consents", "授权"),
            Category::Settings => ("Privacy settings", "隐私设置"),
            Category::Notifications => ("Notifications", "通知"),
            Category::Requests => ("Requests", "申请"),
            Category::Activity => ("My activity", "我的操作记录"),
        })
    }

    /// The name of a consent feature.
    #[must_use]
    pub fn feature_name(&self, feature: domain::consent::Feature) -> &'static str {
        use domain::consent::Feature;
        self.pick(match feature {
            Feature::Contacts => ("Find Mobile Contacts", "通过手机通讯录推荐好友"),
            Feature::Location => (
                "People Nearby and Shake (location)",
                "附近的人与摇一摇（位置）",
            ),
            Feature::Steps => ("Movement (step counts)", "微信运动（步数）"),
            Feature::Voiceprint => ("Voiceprint sign-in", "声音锁"),
            Feature::Cards => ("Pay (bank cards)", "微信支付（银行卡）"),
            Feature::Marketing => ("Marketing messages", "营销信息"),
            Feature::Ads => ("Personalised ads", "个性化广告"),
        })
    }

    /// Where a consent stands.
    #[must_use]
    pub fn consent_state_name(&self, state: domain::consent::ConsentState) -> &'static str {
        use domain::consent::ConsentState;
        self.pick(match state {
            ConsentState::Granted => ("On", "已开启"),
            ConsentState::Withdrawn => ("Off", "已关闭"),
            ConsentState::AwaitingGuardian => ("Waiting for your guardian", "等待监护人确认"),
        })
    }

    /// How a consent change reached us.
    #[must_use]
    pub fn channel_name(&self, channel: domain::consent::ConsentChannel) -> &'static str {
        use domain::consent::ConsentChannel;
        self.pick(match channel {
            ConsentChannel::Portal => ("This portal", "本服务中心"),
            ConsentChannel::Api => ("An app", "应用"),
            ConsentChannel::Gpc => ("Your browser's privacy signal", "浏览器隐私信号"),
            ConsentChannel::Guardian => ("Your guardian", "监护人"),
        })
    }

    /// The banner of a privacy-policy version to accept.
    #[must_use]
    pub fn new_policy(&self, version: &str) -> String {
        match self.locale {
            Locale::En => format!(
                "Our privacy policy has a new version ({version}). Until you accept it, the features you turned on stay paused."
            ),
            Locale::Zh => {
                format!("隐私政策已更新（{version} 版）。在你同意之前，你开启的功能将暂停。")
            }
        }
    }

    /// The banner of a cancellation in cooling-off.
    #[must_use]
    pub fn cancel_banner(&self, when: &str, left: i64) -> String {
        match self.locale {
            Locale::En if left == 1 => format!(
                "Your account will be erased on {when} — 1 day left. Changed your mind? Undo it."
            ),
            Locale::En => format!(
                "Your account will be erased on {when} — {left} days left. Changed your mind? Undo it."
            ),
            Locale::Zh => {
                format!("你的账号将于 {when} 注销，还剩 {left} 天。改变主意了？可以撤销。")
            }
        }
    }

    /// "12 days left".
    #[must_use]
    pub fn days_left_text(&self, left: i64) -> String {
        match self.locale {
            Locale::En if left == 1 => "1 day left to undo it.".to_owned(),
            Locale::En => format!("{left} days left to undo it."),
            Locale::Zh => format!("还剩 {left} 天可以撤销。"),
        }
    }

    /// What the cooling-off period means.
    #[must_use]
    pub fn cooling_off_text(&self, days: u32) -> String {
        match self.locale {
            Locale::En => format!(
                "Cancelling starts a cooling-off period of {days} days. Collection by the features you turned on stops at once; during those days you can undo it from any page, and we e-mail you when you start and three days before the end. When the period ends, the account is erased for good."
            ),
            Locale::Zh => format!(
                "申请注销后进入 {days} 天冷静期。你开启的功能会立即停止收集；冷静期内你可以在任意页面撤销，我们会在申请时和结束前三天发邮件提醒你。冷静期结束后，账号将被永久注销。"
            ),
        }
    }

    /// "3 items deleted".
    #[must_use]
    pub fn cleared_items(&self, n: u64) -> String {
        match self.locale {
            Locale::En if n == 1 => "1 item deleted".to_owned(),
            Locale::En => format!("{n} items deleted"),
            Locale::Zh => format!("已删除 {n} 项"),
        }
    }

    fn pick(&self, (en, zh): (&'static str, &'static str)) -> &'static str {
        match self.locale {
            Locale::En => en,
            Locale::Zh => zh,
        }
    }

    /// A term of the table below as a static string, for props that take
    /// one (empty when the table has none).
    #[must_use]
    pub fn term_static(&self, key: &str) -> &'static str {
        TERMS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("", |(_, en, zh)| match self.locale {
                Locale::En => en,
                Locale::Zh => zh,
            })
    }

    /// A term of the table below, in this language (the key itself when
    /// the table has none).
    #[must_use]
    pub fn term(&self, key: &str) -> String {
        TERMS.iter().find(|(k, _, _)| *k == key).map_or_else(
            || key.to_owned(),
            |(_, en, zh)| match self.locale {
                Locale::En => (*en).to_owned(),
                Locale::Zh => (*zh).to_owned(),
            },
        )
    }
}

/// The texts of a locale.
#[must_use]
pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::Zh => &ZH,
    }
}

/// The current locale signal, provided by `App`.
#[must_use]
pub fn use_locale() -> RwSignal<Locale> {
    expect_context::<RwSignal<Locale>>()
}

/// The texts of the current locale, reactive.
#[must_use]
pub fn use_texts() -> Signal<&'static Texts> {
    let locale = use_locale();
    Signal::derive(move || texts(locale.get()))
}

/// English.
pub static EN: Texts = Texts {
    locale: Locale::En,
    app_name: "Privacy Rights Portal",
    skip_to_content: "Skip to main content",
    switch_language: "中文",
    switch_language_label: "切换到中文 (Switch to Chinese)",
    nav_label: "Main",
    sign_in: "Sign in",
    sign_up: "Create account",
    sign_out: "Sign out",
    loading: "Loading…",
    footer: "Your data, your rights: see, correct, export and delete what we hold about you.",

    landing_title: "Your personal data, in your hands",
    landing_intro: "See every piece of personal data your account holds, correct it, take a copy, delete it, withdraw consent feature by feature, or cancel your account. Every request gets an acknowledgment number and an answer within the legal deadline.",
    landing_points: [
        "Answers within 30 days of verifying who you are.",
        "Requests to the Privacy Officer answered within 60 days.",
        "Every deadline computed and enforced by the server.",
    ],
    go_to_home: "Go to my rights",

    email: "E-mail address",
    password: "Password",
    password_hint: "At least 10 characters.",
    display_name: "Display name",
    birth_date: "Birth date",
    birth_date_hint: "YYYY-MM-DD. People under 13 cannot open an account; 13 to 17 need a guardian's confirmation.",
    sign_up_title: "Create your account",
    sign_up_intro: "We only ask for what the account needs.",
    sign_up_submit: "Create account",
    have_account: "Already have an account? Sign in",
    sign_up_sent_title: "Check your inbox",
    sign_up_sent_body: "We sent a message to the address you gave. Open the link in it within 24 hours to finish creating your account.",
    sign_up_sent_hint: "If the address already has an account, the message says so instead. Nothing arrived? Look in the spam folder, or sign up again in a few minutes.",
    verify_email_title: "Confirm your e-mail address",
    verify_email_intro: "One step left: confirm that this address is yours, and your account is created and signed in.",
    verify_email_submit: "Confirm and create my account",
    sign_up_again: "Link not working? Sign up again",
    sign_in_title: "Sign in",
    sign_in_submit: "Sign in",
    no_account: "No account yet? Create one",
    submitting: "Please wait…",
    form_has_errors: "Please correct the marked fields.",

    holder_home_title: "My privacy rights",
    greeting: |name| format!("Hello, {name}"),
    within_days: |n| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    },
    holder_home_intro: "Choose what you want to do. Everything marked as instant takes effect at once; the rest goes to the Privacy Officer with a deadline you can follow.",
    minor_notice: "Your account is limited until a parent or guardian confirms it.",
    coming_soon: "Coming soon",
    rights: [
        RightText {
            key: "data",
            title: "See my data",
            summary: "Every category of personal data your account holds, page by page.",
        },
        RightText {
            key: "correct",
            title: "Correct my data",
            summary: "Fix your profile and contact details, or ask us to correct fixed fields.",
        },
        RightText {
            key: "delete",
            title: "Delete my data",
            summary: "Delete messages, posts, location and step history, or ask us to delete the rest.",
        },
        RightText {
            key: "export",
            title: "Export my data",
            summary: "Download a ZIP of your whole account or of the categories you choose.",
        },
        RightText {
            key: "consents",
            title: "Consents",
            summary: "Turn features that use your data off, or off with their data cleared.",
        },
        RightText {
            key: "consent-history",
            title: "Consent history",
            summary: "Every consent you gave or withdrew, with time and policy version.",
        },
        RightText {
            key: "settings",
            title: "Privacy settings",
            summary: "Who can find you, who sees your posts and for how long.",
        },
        RightText {
            key: "requests",
            title: "My requests",
            summary: "Follow each request to its answer by its acknowledgment number.",
        },
        RightText {
            key: "complaints",
            title: "Complaints and feedback",
            summary: "Tell the Privacy Officer what went wrong; we answer within 30 days.",
        },
        RightText {
            key: "notifications",
            title: "Inbox",
            summary: "Acknowledgments, answers and notices about your account.",
        },
        RightText {
            key: "cancel",
            title: "Cancel my account",
            summary: "Close the account after a cooling-off period; your data is then deleted.",
        },
    ],

    officer_home_title: "Privacy Officer",
    officer_home_intro: "Work the requests that need a person, before their deadlines.",
    officer_items: [
        RightText {
            key: "register",
            title: "Request register",
            summary: "All requests, sorted by due date, with filters.",
        },
        RightText {
            key: "due-soon",
            title: "Due soon",
            summary: "Requests due within the next 7 days.",
        },
        RightText {
            key: "overdue",
            title: "Overdue",
            summary: "Requests past their due date, escalated to administrators.",
        },
        RightText {
            key: "metrics",
            title: "Dashboard",
            summary: "On-time rate and median time to answer.",
        },
    ],
    admin_home_title: "Administration",
    admin_home_intro: "Manage officers, deadline policies, notices and the audit log.",
    admin_items: [
        RightText {
            key: "officers",
            title: "Officer accounts",
            summary: "Create and disable privacy officer accounts.",
        },
        RightText {
            key: "policies",
            title: "Deadline policies",
            summary: "Lengths, extensions and reminders of each statutory clock.",
        },
        RightText {
            key: "audit",
            title: "Audit log",
            summary: "Every request action and data access, hash-chained.",
        },
        RightText {
            key: "holds",
            title: "Legal holds and settings",
            summary: "Freeze an account for a legal hold; the cooling-off period and the regulator line of complaint answers.",
        },
        RightText {
            key: "notices",
            title: "Incident notices",
            summary: "Tell affected account holders about an incident.",
        },
    ],

    deadlines_nav: "Deadlines",
    deadlines_title: "How we count deadlines",
    deadlines_intro: "Every answer has a legal deadline. Pick a policy and the moment the clock starts to see the due date this portal will enforce. The same engine runs here in your browser and on our server.",
    policy_label: "Policy",
    start_label: "Clock starts at",
    start_hint: |zone| format!("Local time in {zone}."),
    due_label: "Due",
    reminders_label: "Reminders to the officer",
    overdue_from_label: "Overdue from",
    countdown_label: "From now",
    source_label: "Legal source",
    provisional_note: "This count uses holidays that are not yet officially published; it may change.",
    pick_start: "Choose when the clock starts to see the due date.",
    utc: "UTC",
    req_new_title: "Make a request",
    req_new_intro: "Ask for a copy of your data, a correction, a deletion, or tell us what went wrong. You get an acknowledgment number at once, and an answer within the legal deadline.",
    req_kind_label: "What do you ask for?",
    req_details_label: "Describe your request",
    req_contact_label: "E-mail address for our answer",
    req_verification_label: "How can we confirm it is you?",
    req_verification_hint: "For example your account ID and the last digits of the mobile number on the account. Never send scans of identity documents.",
    req_submit: "Send request",
    req_sent_title: "Request received",
    req_ack_label: "Acknowledgment number",
    req_token_label: "Tracking code (keep it: it is shown only once)",
    req_due_label: "We will answer by",
    req_due_pending: "The deadline starts once we have verified who you are.",
    req_track_link: "Follow this request",
    track_title: "Follow a request",
    track_token_label: "Tracking code",
    track_submit: "Show the request",
    my_requests_title: "My requests",
    my_requests_empty: "You have not made any requests yet.",
    new_request_link: "Make a request",
    status_label: "Status",
    timeline_title: "History",
    answer_title: "Answer",
    overdue_badge: "Overdue",
    late_badge: "Answered late",
    register_title: "Request register",
    register_overdue_only: "Overdue only",
    register_empty: "No requests match.",
    col_kind: "Request",
    actions_title: "Actions",
    act_text_label: "Message, reason or summary (the requester sees it)",
    act_days_label: "Days of extension",
    reply_title: "Add information",
    reply_submit: "Send",
    details_title: "What the requester wrote",
    open_label: "Open",
    inbox_title: "Inbox",
    inbox_empty: "No messages yet.",
    dash_open: "Open",
    dash_overdue: "Overdue",
    dash_due_soon: "Due within 7 days",
    dash_on_time: "Answered on time (last year)",
    dash_median_days: "Median days to answer",
    denied_title: "Not allowed",
    denied_body: "Your account does not have access to this page.",
    signed_out_title: "Please sign in",
    signed_out_body: "This page needs you to be signed in.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    role_names: ["Account holder", "Privacy officer", "Administrator"],
    signed_in_as: |name, role| format!("Signed in as {name} ({role})"),
};

/// Simplified Chinese.
pub static ZH: Texts = Texts {
    locale: Locale::Zh,
    app_name: "隐私权利服务中心",
    skip_to_content: "跳到主要内容",
    switch_language: "English",
    switch_language_label: "Switch to English (切换到英文)",
    nav_label: "主导航",
    sign_in: "登录",
    sign_up: "注册账号",
    sign_out: "退出登录",
    loading: "正在加载…",
    footer: "你的数据，你的权利：查阅、更正、导出和删除我们持有的你的个人信息。",

    landing_title: "你的个人信息，由你掌控",
    landing_intro: "查阅账号持有的每一项个人信息，更正、复制或删除它，按功能逐项撤回授权，或注销账号。每一项请求都有受理编号，并在法定期限内得到答复。",
    landing_points: [
        "身份核验后 30 天内答复。",
        "向隐私保护负责人提出的请求在 60 天内答复。",
        "每一个期限都由服务器计算并强制执行。",
    ],
    go_to_home: "前往我的权利",

    email: "电子邮箱",
    password: "密码",
    password_hint: "至少 10 个字符。",
    display_name: "昵称",
    birth_date: "出生日期",
    birth_date_hint: "格式为 YYYY-MM-DD。未满 13 周岁不能注册；13 至 17 周岁需监护人确认。",
    sign_up_title: "注册账号",
    sign_up_intro: "我们只收集账号所必需的信息。",
    sign_up_submit: "注册",
    have_account: "已有账号？去登录",
    sign_up_sent_title: "请查收邮件",
    sign_up_sent_body: "我们已向您填写的邮箱发送了一封邮件。请在 24 小时内打开其中的链接，完成账号注册。",
    sign_up_sent_hint: "如果该邮箱已有账号，邮件会告诉您。没有收到？请查看垃圾邮件文件夹，或几分钟后重新注册。",
    verify_email_title: "确认您的电子邮箱",
    verify_email_intro: "只差一步：确认此邮箱属于您，账号即会创建并登录。",
    verify_email_submit: "确认并创建账号",
    sign_up_again: "链接无效？重新注册",
    sign_in_title: "登录",
    sign_in_submit: "登录",
    no_account: "还没有账号？注册一个",
    submitting: "请稍候…",
    form_has_errors: "请更正标出的字段。",

    holder_home_title: "我的隐私权利",
    greeting: |name| format!("你好，{name}"),
    within_days: |n| format!("{n} 天内"),
    holder_home_intro: "选择你要做的事。标为即时的操作立即生效；其他请求交由隐私保护负责人处理，你可以随时查看期限。",
    minor_notice: "在父母或监护人确认之前，你的账号功能受限。",
    coming_soon: "即将推出",
    rights: [
        RightText {
            key: "data",
            title: "查阅我的数据",
            summary: "逐类查看账号持有的每一项个人信息。",
        },
        RightText {
            key: "correct",
            title: "更正我的数据",
            summary: "修改资料和联系方式，或申请更正固定字段。",
        },
        RightText {
            key: "delete",
            title: "删除我的数据",
            summary: "删除消息、动态、位置和步数记录，或申请删除其他数据。",
        },
        RightText {
            key: "export",
            title: "导出我的数据",
            summary: "下载整个账号或所选类别数据的 ZIP 文件。",
        },
        RightText {
            key: "consents",
            title: "授权管理",
            summary: "关闭使用你数据的功能，或关闭并清除其数据。",
        },
        RightText {
            key: "consent-history",
            title: "授权记录",
            summary: "你每一次授权和撤回的时间及政策版本。",
        },
        RightText {
            key: "settings",
            title: "隐私设置",
            summary: "谁可以找到你，谁能看到你的动态以及可见多久。",
        },
        RightText {
            key: "requests",
            title: "我的请求",
            summary: "凭受理编号跟踪每一项请求直至答复。",
        },
        RightText {
            key: "complaints",
            title: "投诉与反馈",
            summary: "告诉隐私保护负责人哪里出了问题；我们在 30 天内答复。",
        },
        RightText {
            key: "notifications",
            title: "消息",
            summary: "受理通知、答复以及与你账号相关的通知。",
        },
        RightText {
            key: "cancel",
            title: "注销账号",
            summary: "冷静期结束后注销账号，并删除你的数据。",
        },
    ],

    officer_home_title: "隐私保护负责人",
    officer_home_intro: "在期限之前处理需要人工办理的请求。",
    officer_items: [
        RightText {
            key: "register",
            title: "请求登记簿",
            summary: "按到期时间排序的全部请求，可筛选。",
        },
        RightText {
            key: "due-soon",
            title: "即将到期",
            summary: "未来 7 天内到期的请求。",
        },
        RightText {
            key: "overdue",
            title: "已逾期",
            summary: "已超过期限并上报管理员的请求。",
        },
        RightText {
            key: "metrics",
            title: "统计面板",
            summary: "按时答复率和答复时间中位数。",
        },
    ],
    admin_home_title: "系统管理",
    admin_home_intro: "管理负责人账号、期限政策、通知和审计日志。",
    admin_items: [
        RightText {
            key: "officers",
            title: "负责人账号",
            summary: "创建和停用隐私保护负责人账号。",
        },
        RightText {
            key: "policies",
            title: "期限政策",
            summary: "每一种法定期限的长度、延期和提醒。",
        },
        RightText {
            key: "audit",
            title: "审计日志",
            summary: "每一次请求操作和数据访问，哈希链防篡改。",
        },
        RightText {
            key: "holds",
            title: "法律保全与设置",
            summary: "因法律原因冻结账号；注销冷静期，以及投诉答复中关于监管部门的说明。",
        },
        RightText {
            key: "notices",
            title: "安全事件通知",
            summary: "向受影响的用户告知安全事件。",
        },
    ],

    deadlines_nav: "期限说明",
    deadlines_title: "我们如何计算期限",
    deadlines_intro: "每一项答复都有法定期限。选择一项政策和开始计时的时间，即可看到本服务将强制执行的到期时间。你的浏览器和我们的服务器运行的是同一个计算引擎。",
    policy_label: "政策",
    start_label: "开始计时",
    start_hint: |zone| format!("{zone} 当地时间。"),
    due_label: "到期时间",
    reminders_label: "提醒负责人的时间",
    overdue_from_label: "逾期起算",
    countdown_label: "距今",
    source_label: "法律依据",
    provisional_note: "此计算使用了尚未正式公布的节假日安排，结果可能变化。",
    pick_start: "选择开始计时的时间，即可看到到期时间。",
    utc: "协调世界时",
    req_new_title: "提出请求",
    req_new_intro: "申请获取数据副本、更正、删除，或告诉我们哪里出了问题。你会立即获得受理编号，并在法定期限内得到答复。",
    req_kind_label: "你要申请什么？",
    req_details_label: "请描述你的请求",
    req_contact_label: "接收答复的电子邮箱",
    req_verification_label: "我们如何确认是你本人？",
    req_verification_hint: "例如你的账号 ID 以及账号绑定手机号的后几位。请勿发送身份证件扫描件。",
    req_submit: "提交请求",
    req_sent_title: "请求已受理",
    req_ack_label: "受理编号",
    req_token_label: "查询码（请妥善保存：只显示一次）",
    req_due_label: "答复期限",
    req_due_pending: "核验你的身份后开始计算期限。",
    req_track_link: "查看此请求",
    track_title: "查询请求",
    track_token_label: "查询码",
    track_submit: "查看请求",
    my_requests_title: "我的请求",
    my_requests_empty: "你还没有提出任何请求。",
    new_request_link: "提出请求",
    status_label: "状态",
    timeline_title: "处理记录",
    answer_title: "答复",
    overdue_badge: "已逾期",
    late_badge: "逾期答复",
    register_title: "请求登记簿",
    register_overdue_only: "仅显示逾期",
    register_empty: "没有符合条件的请求。",
    col_kind: "请求",
    actions_title: "操作",
    act_text_label: "消息、理由或答复摘要（请求人可见）",
    act_days_label: "延期天数",
    reply_title: "补充信息",
    reply_submit: "发送",
    details_title: "请求人填写的内容",
    open_label: "打开",
    inbox_title: "消息",
    inbox_empty: "暂无消息。",
    dash_open: "未结",
    dash_overdue: "已逾期",
    dash_due_soon: "7 天内到期",
    dash_on_time: "按时答复率（近一年）",
    dash_median_days: "答复天数中位数",
    denied_title: "无权访问",
    denied_body: "你的账号无权访问此页面。",
    signed_out_title: "请先登录",
    signed_out_body: "此页面需要登录后访问。",
    not_found_title: "页面不存在",
    not_found_body: "此地址没有内容。",
    role_names: ["账号持有人", "隐私保护负责人", "管理员"],
    signed_in_as: |name, role| format!("已登录：{name}（{role}）"),
};
