import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, expectLive, fileAsStranger, freshHolder, linkIn, newestMailTo, open, signIn, snap, uniqueEmail } from "./helpers";

// Moving the portal's clock expires every session, so these journeys run in
// their own project after all the others (see playwright.config.ts), one
// after the other.
test.describe.configure({ mode: "serial" });

test("when the clock passes the deadline the register shows the request overdue", async ({ page, browser, request }) => {
  const { ack } = await fileAsStranger(page);
  // The administrator moves the portal's clock 61 days on; the sweeper runs at once.
  const login = await request.post("/api/v1/auth/login", { data: DEMO.admin });
  const { token } = await login.json();
  const moved = await request.post("/api/v1/dev/clock", {
    headers: { authorization: `Bearer ${token}` },
    data: { advance_seconds: 61 * 86400 },
  });
  expect(moved.status()).toBe(200);

  const officerContext = await browser.newContext();
  const officer = await officerContext.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, "/officer/register");
  await officer.getByTestId("overdue-only").check();
  const row = officer.getByTestId("register-row").filter({ hasText: ack });
  await expect(row).toContainText("Overdue");
  // The countdown follows the server's clock, not the browser's (which did
  // not move): the request is past its 60 days there.
  await expect(row.getByTestId("row-countdown")).toHaveText(/^(overdue|1 day overdue)$/);
  // And its due instant is shown in its policy's zone.
  await expect(row).toContainText("(Asia/Shanghai)");
  await snap(officer, "officer-register-overdue-en");
  await officerContext.close();
});

test("cancel, undo, cancel again; when the cooling-off ends the account is gone and the address signs up again", async ({ page, request }) => {
  // Two sign-ups, each waiting for its e-mail (the outbox is sent every
  // 10 s), a cancellation, an undo and a clock move: 30 s in a quiet run,
  // longer on a busy CI machine.
  test.setTimeout(120_000);
  const email = uniqueEmail("cancel");
  const password = "cooling-off-pass-1";
  await freshHolder(request, email, password);
  await signIn(page, { email, password }, "/home");
  await page.getByRole("link", { name: "Cancel my account" }).click();
  await expect(page).toHaveURL(/\/account\/cancel$/);
  await expectLive(page);
  await expect(page.getByTestId("cancel-deleted")).toContainText("Every category of your personal data");
  await expect(page.getByTestId("cancel-kept")).toContainText("the law asks us");
  await expect(page.getByText("cooling-off period of 15 days")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "cancel-account-en");

  // A wrong password is refused next to the field.
  await page.getByTestId("cancel-password").fill("not-my-password");
  await page.getByTestId("cancel-submit").click();
  await expect(page.getByTestId("cancel-password-error")).toContainText("password");
  await page.getByTestId("cancel-password").fill(password);
  await page.getByTestId("cancel-submit").click();
  // Only a deliberate tick enables the button.
  await expect(page.getByTestId("cancel-submit")).toBeDisabled();
  await page.getByTestId("cancel-understood").check();
  await page.getByTestId("cancel-submit").click();
  const banner = page.getByTestId("cancel-banner");
  await expect(banner).toContainText("15 days left");
  await expect(page.getByTestId("cancel-days-left")).toHaveText("15 days left to undo it.");
  await snap(page, "cancel-pending-en");

  // Every page counts down, and undo works from the banner.
  await open(page, "/data");
  await expect(banner).toHaveAttribute("data-days-left", "15");
  await banner.getByTestId("cancel-banner-undo").click();
  await expect(banner).toHaveCount(0);
  const me = await page.request.get("/api/v1/me");
  expect((await me.json()).cancellation).toBeNull();

  // Cancel again, in Chinese.
  await open(page, "/account/cancel");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { name: "注销账号" })).toBeVisible();
  await page.getByTestId("cancel-password").fill(password);
  await page.getByTestId("cancel-submit").click();
  await page.getByTestId("cancel-understood").check();
  await page.getByTestId("cancel-submit").click();
  await expect(banner).toContainText("还剩 15 天");
  await snap(page, "cancel-pending-zh");
  // The e-mail of the start, in the holder's language when they cancelled.
  const started = await newestMailTo(email, "You asked to cancel your account");
  expect(started.body).toContain("/account/cancel");

  // The clock passes the end of the cooling-off period: the job erases it.
  const admin = await (await request.post("/api/v1/auth/login", { data: DEMO.admin })).json();
  const moved = await request.post("/api/v1/dev/clock", {
    headers: { authorization: `Bearer ${admin.token}` },
    data: { advance_seconds: 15 * 86400 + 60 },
  });
  expect(moved.status()).toBe(200);
  await expect
    .poll(async () => (await request.post("/api/v1/auth/login", { data: { email, password } })).status(), {
      timeout: 20_000,
      message: "the password stops working once the account is erased",
    })
    .toBe(401);
  // The person cannot sign in through the form either.
  await open(page, "/login");
  await page.getByLabel(/E-mail address|电子邮箱/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ }).first()).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  // The address signs up again, as a new account.
  await freshHolder(request, email, "a-brand-new-pass-2");
});

test("a re-access request is scored, granted by the officer, and opens only after the hold", async ({ page, browser, request }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("reaccess");
  await freshHolder(request, email, "reaccess-lantern-6");
  const contact = uniqueEmail("claimant");

  // The person who lost their e-mail and mobile asks in Chinese.
  await open(page, "/forgot");
  await page.getByTestId("language-switch").click();
  await page.getByRole("link", { name: /申请找回账号/ }).click();
  await expect(page).toHaveURL(/\/reaccess$/);
  await page.getByLabel("账号 ID 或账号邮箱").fill(email);
  await page.getByLabel("接收答复的邮箱").fill(contact);
  await page.getByLabel("发生了什么").fill("手机丢了，邮箱也停用了，无法重置密码。");
  // Only the account: asked for verification information.
  await page.getByRole("button", { name: "提交找回申请" }).click();
  await expect(page.getByTestId("verification-error")).not.toBeEmpty();
  await page.getByLabel("账号用过的密码").fill("reaccess-lantern-6");
  await page.getByLabel("注册方式").selectOption("web");
  await page.getByLabel("好友的名字").fill("Nobody Known");
  await expectAccessible(page);
  await snap(page, "reaccess-form-zh");
  await page.getByRole("button", { name: "提交找回申请" }).click();
  await expect(page.getByTestId("receipt")).toBeVisible();
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();
  await expect(page.getByTestId("receipt-token")).not.toBeEmpty();
  await snap(page, "reaccess-filed-zh");

  // The officer sees the score and the table, never what the account holds.
  const officerContext = await browser.newContext();
  const officer = await officerContext.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, `/officer/requests/${ack}`);
  const check = officer.getByTestId("reaccess-check");
  await expect(check).toBeVisible();
  await expect(check.getByTestId("reaccess-item-old_passwords")).toContainText("matched");
  // A new account has no friends to compare with: said, and worth nothing.
  await expect(check.getByTestId("reaccess-item-friends")).toContainText("nothing on file");
  await expect(check.getByTestId("reaccess-item-registration_method")).toContainText("matched");
  await expect(check.getByTestId("reaccess-score")).toHaveText("30");
  await expect(check).not.toContainText("reaccess-lantern-6");
  await expectAccessible(officer);
  await snap(officer, "reaccess-officer-en");
  await officer.getByLabel(/Message, reason or summary/).fill("Verified: an old password and the registration method match.");
  await officer.getByTestId("act-fulfil").click();
  await expect(officer.getByTestId("status")).toContainText("Answered");
  await officerContext.close();

  // The link reaches the address the request gave; the account's own
  // address hears of it, with a link to stop it.
  const granted = await newestMailTo(contact, `Access to your account: ${ack} · 账号找回：${ack}`);
  const link = new URL(linkIn(granted.body, "/reset-password"));
  const warning = await newestMailTo(email, "Someone was given access to your account · 有人获得了您账号的访问权限");
  linkIn(warning.body, "/reaccess/stop");
  await open(page, link.pathname + link.search);
  await page.getByLabel("密码", { exact: true }).fill("reaccess-new-lantern-2");
  await page.getByRole("button", { name: "设置新密码" }).click();
  // In its hold: not yet.
  await expect(page.getByTestId("form-alert")).toContainText("尚未生效");
  await snap(page, "reaccess-on-hold-zh");

  // A day later (the default hold is 24 hours) it opens.
  const login = await request.post("/api/v1/auth/login", { data: DEMO.admin });
  const { token } = await login.json();
  const moved = await request.post("/api/v1/dev/clock", {
    headers: { authorization: `Bearer ${token}` },
    data: { advance_seconds: 25 * 3600 },
  });
  expect(moved.status()).toBe(200);
  await open(page, link.pathname + link.search);
  await page.getByLabel("密码", { exact: true }).fill("reaccess-new-lantern-2");
  await page.getByRole("button", { name: "设置新密码" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await signIn(page, { email, password: "reaccess-new-lantern-2" }, "/home");
});
