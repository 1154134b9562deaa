import { type APIRequestContext, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectAccessible, freshHolder, linkIn, newestMailTo, open, signIn, snap, uniqueEmail } from "./helpers";

async function collectPoint(request: APIRequestContext, token: string): Promise<number> {
  const answer = await request.post("/api/v1/collect/location", {
    headers: { authorization: `Bearer ${token}` },
    data: { lat: 31.2304, lon: 121.4737 },
  });
  return answer.status();
}

async function card(page: Page, feature: string) {
  return page.getByTestId(`consent-${feature}`);
}

test("turning location off and clearing it empties the history, refuses collection and leaves a receipt", async ({ page, request }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("consent");
  const password = "a-long-and-unusual-passphrase-7";
  const token = await freshHolder(request, email, password);
  await signIn(page, { email, password }, "/home");
  await page.getByTestId("card-consents").getByRole("link").click();
  await expect(page).toHaveURL(/\/consents$/);
  await expectAccessible(page);

  // Nothing is collected before the holder turns the feature on.
  expect(await collectPoint(request, token)).toBe(403);
  const location = await card(page, "location");
  await expect(location.getByTestId("consent-state")).toHaveText("Off");
  await expect(location).toContainText("People Nearby and Shake stop working. Nothing else changes.");
  await location.getByTestId("turn-on").click();
  await expect(location.getByTestId("consent-state")).toHaveText("On");
  expect(await collectPoint(request, token)).toBe(201);
  expect(await collectPoint(request, token)).toBe(201);
  await snap(page, "consents-en");

  // Turn off and clear: confirm, then the password again.
  await location.getByTestId("turn-off-clear").click();
  await location.getByTestId("confirm-clear").click();
  await expect(page.getByTestId("reauth")).toBeVisible();
  await page.getByLabel(/password again|再次输入密码/i).fill(password);
  await page.getByTestId("reauth-submit").click();
  await expect(page.getByTestId("reauth")).toContainText("You can now repeat the change");
  await location.getByTestId("turn-off-clear").click();
  await location.getByTestId("confirm-clear").click();
  await expect(location.getByTestId("consent-state")).toHaveText("Off");
  const receipt = page.getByTestId("consent-receipt").first();
  await expect(receipt).toContainText("People Nearby and Shake (location)");
  await expect(receipt).toContainText("2 items deleted");
  await expect(receipt).toContainText("This portal");
  await expect(receipt).toContainText("2026-01");
  await snap(page, "consents-cleared-en");

  expect(await collectPoint(request, token)).toBe(403);
  await open(page, "/data/location");
  await expect(page.getByTestId("data-empty")).toBeVisible();

  // The same page in Chinese.
  await open(page, "/consents");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("授权管理");
  await expect((await card(page, "location")).getByTestId("consent-state")).toHaveText("已关闭");
  await expect(page.getByTestId("consent-receipt").first()).toContainText("已删除 2 项");
  await expectAccessible(page);
  await snap(page, "consents-zh");
});

test("a teenager's location waits for the guardian, who agrees through the e-mailed link", async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("teen");
  const password = "a-long-and-unusual-passphrase-8";
  const started = await request.post("/api/v1/auth/signup", {
    data: { email, password, display_name: "Mei 小美", birth_date: `${new Date().getFullYear() - 15}-03-01`, locale: "en" },
  });
  expect(started.status()).toBe(202);
  const signUpMail = await newestMailTo(email);
  const signUpToken = new URL(linkIn(signUpMail.body, "/verify-email")).searchParams.get("token");
  expect((await request.post("/api/v1/auth/verify-email", { data: { token: signUpToken } })).status()).toBe(201);
  await signIn(page, { email, password }, "/home");
  await open(page, "/consents");

  const location = await card(page, "location");
  await location.getByTestId("turn-on").click();
  await expect(location.getByTestId("guardian-form")).toContainText("a parent or guardian must agree");
  // The server's answer shows next to the field.
  await location.getByTestId("ask-guardian").click();
  await expect(location.getByTestId("guardian-email-error")).toContainText("parent's or guardian's e-mail");
  const guardian = uniqueEmail("parent");
  await location.getByTestId("guardian-email").fill(guardian);
  await location.getByTestId("ask-guardian").click();
  await expect(location.getByTestId("awaiting-guardian")).toHaveText("Waiting for your guardian to confirm.");
  await expectAccessible(page);
  await snap(page, "consents-awaiting-guardian-en");

  // The guardian, in their own browser, opens the link.
  const mail = await newestMailTo(guardian);
  expect(mail.subject).toContain("Mei 小美");
  const link = new URL(linkIn(mail.body, "/guardian"));
  const guardianContext = await browser.newContext();
  const guardianPage = await guardianContext.newPage();
  await open(guardianPage, link.pathname + link.search);
  await expect(guardianPage.getByTestId("guardian-holder")).toHaveText("Mei 小美");
  await expect(guardianPage.getByTestId("guardian-feature")).toHaveText("People Nearby and Shake (location)");
  await expectAccessible(guardianPage);
  await snap(guardianPage, "guardian-en");
  await guardianPage.getByTestId("language-switch").click();
  await expect(guardianPage.getByRole("heading", { level: 1 })).toHaveText("开启功能的同意请求");
  await snap(guardianPage, "guardian-zh");
  await guardianPage.getByTestId("guardian-agree").click();
  await expect(guardianPage.getByTestId("guardian-done")).toContainText("该功能已开启");
  await guardianContext.close();

  await open(page, "/consents");
  await expect((await card(page, "location")).getByTestId("consent-state")).toHaveText("On");
  const receipt = page.getByTestId("consent-receipt").first();
  await expect(receipt).toContainText("Your guardian");
});

test("a browser sending Global Privacy Control turns marketing and ads off, and the page says why", async ({ browser, request }) => {
  const email = uniqueEmail("gpc");
  const password = "a-long-and-unusual-passphrase-9";
  const token = await freshHolder(request, email, password);
  for (const feature of ["marketing", "ads"]) {
    const granted = await request.put(`/api/v1/me/consents/${feature}`, {
      headers: { authorization: `Bearer ${token}` },
      data: { granted: true },
    });
    expect(granted.status()).toBe(200);
  }
  const context = await browser.newContext({ extraHTTPHeaders: { "Sec-GPC": "1" } });
  const page = await context.newPage();
  await signIn(page, { email, password }, "/home");
  await open(page, "/consents");
  await expect(page.getByTestId("gpc-note")).toContainText("Global Privacy Control");
  for (const feature of ["marketing", "ads"]) {
    const c = await card(page, feature);
    await expect(c.getByTestId("consent-state")).toHaveText("Off");
    await expect(c.getByTestId("gpc-active")).toBeVisible();
  }
  await expect(page.getByTestId("consent-receipt").first()).toContainText("Your browser's privacy signal");
  await expectAccessible(page);
  await snap(page, "consents-gpc-en");
  await context.close();
});
