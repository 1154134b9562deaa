import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, freshHolder, linkIn, mailsSoFar, newestMailTo, open, signIn, snap, uniqueEmail } from "./helpers";

for (const lang of ["en", "zh"] as const) {
  test(`a forgotten password is reset through the e-mailed link (${lang})`, async ({ page, request }) => {
    test.setTimeout(90_000);
    const email = uniqueEmail(`forgot-${lang}`);
    const oldToken = await freshHolder(request, email, "first-lantern-river-3", lang === "zh" ? "zh-CN" : "en");
    await open(page, "/login");
    if (lang === "zh") {
      await page.getByTestId("language-switch").click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
    }
    await page.getByTestId("forgot-link").click();
    await expect(page).toHaveURL(/\/forgot$/);
    const label = lang === "zh" ? "电子邮箱" : "E-mail address";
    // Not an address: said next to the field.
    await page.getByLabel(label).fill("not-an-address");
    await page.getByRole("button", { name: lang === "zh" ? "发送链接" : "Send the link" }).click();
    await expect(page.getByTestId("email-error")).not.toBeEmpty();
    const before = mailsSoFar();
    await page.getByLabel(label).fill(email);
    await expectAccessible(page);
    await snap(page, `forgot-${lang}`);
    await page.getByRole("button", { name: lang === "zh" ? "发送链接" : "Send the link" }).click();
    await expect(page.getByTestId("forgot-sent")).toBeVisible();
    await expect(page.getByTestId("forgot-sent")).toContainText(lang === "zh" ? "15 分钟" : "15 minutes");

    const mail = await newestMailTo(email, undefined, before);
    expect(mail.subject).toBe(lang === "zh" ? "重置您的隐私权利门户密码" : "Reset your Privacy Portal password");
    const link = new URL(linkIn(mail.body, "/reset-password"));
    await open(page, link.pathname + link.search);
    const password = lang === "zh" ? "密码" : "Password";
    // A guessable password is refused next to the field, and the link still works.
    await page.getByLabel(password, { exact: true }).fill("password123456");
    await page.getByRole("button", { name: lang === "zh" ? "设置新密码" : "Set the new password" }).click();
    await expect(page.getByTestId("password-error")).not.toBeEmpty();
    await snap(page, `reset-error-${lang}`);
    await page.getByLabel(password, { exact: true }).fill("second-lantern-river-8");
    await page.getByRole("button", { name: lang === "zh" ? "设置新密码" : "Set the new password" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await expect(page.getByTestId("reset-done")).toBeVisible();
    await snap(page, `reset-done-${lang}`);

    // The session from before no longer works; the link works once.
    expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${oldToken}` } })).status()).toBe(401);
    const again = await request.post("/api/v1/auth/password-reset/confirm", {
      data: { token: link.searchParams.get("token"), password: "third-lantern-river-5" },
    });
    expect(again.status()).toBe(410);
    await signIn(page, { email, password: "second-lantern-river-8" }, "/home");
  });
}

test("an incident notice reaches the named holder as a banner until acknowledged, in both languages", async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("incident");
  const token = await freshHolder(request, email, "incident-lantern-4");
  const me = await (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).json();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin, "/admin");
  await admin.getByRole("link", { name: "Incident notices" }).click();
  await expect(admin).toHaveURL(/\/admin\/incidents$/);
  const stamp = Date.now();
  const title = `Step counts exposed ${stamp}`;
  const titleZh = `步数记录泄露 ${stamp}`;
  // Missing fields are named next to them.
  await admin.getByRole("button", { name: "Save the draft" }).click();
  await expect(admin.getByTestId("title_en-error")).not.toBeEmpty();
  await admin.getByLabel("Title (English)").fill(title);
  await admin.getByLabel("Title (Chinese)").fill(titleZh);
  await admin.getByLabel("When it happened").fill("2026-11-01");
  await admin.getByLabel("What happened (English)").fill("A test export of step counts was readable for a day.");
  await admin.getByLabel("What happened (Chinese)").fill("一份步数测试导出文件在一天内可被读取。");
  await admin.getByLabel("What we have done (English)").fill("We deleted the file and reviewed access.");
  await admin.getByLabel("What we have done (Chinese)").fill("我们已删除该文件并复查了访问记录。");
  await admin.getByLabel("What people should do (English)").fill("Nothing is needed; review your step history if you wish.");
  await admin.getByLabel("What people should do (Chinese)").fill("无需采取行动；如有需要可查看您的步数记录。");
  await admin.getByLabel("Whom to contact").fill("privacy@portal.example");
  await admin.getByLabel(/Categories of data involved/).fill("steps");
  await admin.getByLabel("These accounts").check();
  await admin.getByLabel(/Account IDs/).fill(me.account_id);
  await admin.getByRole("button", { name: "Save the draft" }).click();
  await expect(admin.getByTestId("incident-saved")).not.toBeEmpty();
  const row = admin.getByTestId("incident-row").filter({ hasText: title });
  await expect(row).toHaveAttribute("data-status", "draft");
  await expectAccessible(admin);
  await snap(admin, "incidents-admin-en");
  await row.getByTestId("incident-publish").click();
  await expect(row).toHaveAttribute("data-status", "published");
  await expect(row.getByTestId("incident-delivered")).toHaveText("1");
  await expect(row.getByTestId("incident-acknowledged")).toHaveText("0");

  // The holder signs in: the banner is on every page until acknowledged.
  await signIn(page, { email, password: "incident-lantern-4" }, "/home");
  const banner = page.getByTestId("incident-banner");
  await expect(banner).toContainText(title);
  await expect(banner).toContainText("We deleted the file");
  await expectAccessible(page);
  await snap(page, "incident-banner-en");
  await page.getByTestId("language-switch").click();
  await expect(banner).toContainText(titleZh);
  await expect(banner).toContainText("我们已删除该文件");
  await snap(page, "incident-banner-zh");
  await open(page, "/inbox");
  await expect(page.getByTestId("incident-banner")).toBeVisible();
  await expect(page.locator("main")).toContainText(title);
  await page.getByTestId("incident-acknowledge").click();
  await expect(page.getByTestId("incident-banner")).toHaveCount(0);
  await open(page, "/home");
  await expect(page.getByTestId("incident-banner")).toHaveCount(0);

  // The administrator sees the acknowledgment; the CSV names the holder.
  await admin.reload();
  await expect(admin.getByTestId("incident-row").filter({ hasText: title }).getByTestId("incident-acknowledged")).toHaveText("1");
  await admin.getByTestId("language-switch").click();
  await snap(admin, "incidents-admin-zh");
  const href = await admin.getByTestId("incident-row").filter({ hasText: titleZh }).getByTestId("incident-csv").getAttribute("href");
  const csv = await (await adminContext.request.get(href!)).text();
  expect(csv).toContain(me.account_id);
  await adminContext.close();
});
