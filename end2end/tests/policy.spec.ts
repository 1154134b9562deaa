import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, open, signIn, snap } from "./helpers";

// Publishing a privacy-policy version pauses every holder's features until
// they accept it, so this journey runs in its own project after the others
// (see playwright.config.ts).

test("an administrator publishes a new privacy policy; the holder sees it on every page and accepts it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin, "/admin");
  await open(admin, "/privacy-policy");
  const form = admin.getByTestId("publish-policy-form");
  await form.getByTestId("policy-version-input").fill("2027/01");
  await form.getByTestId("publish-policy").click();
  await expect(form.getByTestId("version-error")).toContainText("Choose one of the offered values");
  await form.getByTestId("policy-version-input").fill("2027-01");
  await form.getByTestId("policy-summary-input").fill("Step counts are now kept for 30 days instead of 90. Nothing else changes.");
  await form.getByTestId("publish-policy").click();
  const newest = admin.getByTestId("policy-version").first();
  await expect(newest).toContainText("2027-01");
  await expect(newest).toContainText("In force");
  await expectAccessible(admin);
  await snap(admin, "privacy-policy-admin-en");
  await adminContext.close();

  // The holder, on their next visit.
  await signIn(page, DEMO.holder, "/home");
  const banner = page.getByTestId("policy-banner");
  await expect(banner).toContainText("Our privacy policy has a new version (2027-01)");
  await open(page, "/consents");
  await expect(page.getByTestId("policy-banner")).toBeVisible();
  await expect(page.getByTestId("consent-location").getByTestId("paused-for-policy")).toBeVisible();
  await snap(page, "consents-paused-en");

  // In Chinese, the same.
  await page.getByTestId("language-switch").click();
  await expect(page.getByTestId("policy-banner")).toContainText("隐私政策已更新（2027-01 版）");
  await page.getByTestId("policy-banner").getByRole("link").click();
  await expect(page).toHaveURL(/\/privacy-policy$/);
  await expect(page.getByTestId("policy-version").first()).toContainText("Step counts are now kept for 30 days");
  await expectAccessible(page);
  await snap(page, "privacy-policy-zh");
  await page.getByTestId("accept-policy").click();
  await expect(page.getByTestId("policy-accepted")).toHaveText("你已同意现行版本。");
  await expect(page.getByTestId("policy-banner")).toHaveCount(0);

  await open(page, "/consents");
  await expect(page.getByTestId("consent-location").getByTestId("paused-for-policy")).toHaveCount(0);
  await expect(page.getByTestId("consent-receipt").first()).toContainText("同意隐私政策");
  await expect(page.getByTestId("consent-receipt").first()).toContainText("2027-01");
  await page.getByTestId("language-switch").click();
  await snap(page, "consents-policy-accepted-en");
});
