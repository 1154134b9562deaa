import { test } from "./fixtures";
import { DEMO, expectAccessible, open, signIn, snap } from "./helpers";

// Every page, in both languages, has no serious or critical WCAG 2.1 AA violation.

const publicPages = ["/", "/signup", "/signup/sent", "/verify-email?token=0", "/login", "/no-such-page", "/home"];

for (const locale of ["en", "zh-CN"]) {
  test.describe(`pages in ${locale}`, () => {
    test.use({ locale });

    for (const url of publicPages) {
      test(`${url} is accessible`, async ({ page }) => {
        await open(page, url);
        await expectAccessible(page);
      });
    }

    test("the sign-up form with errors is accessible", async ({ page }) => {
      await open(page, "/signup");
      await page.locator("main form button[type=submit]").click();
      await expectAccessible(page);
    });

    test("the role homes and the refusal page are accessible", async ({ page }) => {
      await signIn(page, DEMO.holder, "/home");
      await expectAccessible(page);
      await open(page, "/officer");
      await expectAccessible(page);
      await signIn(page, DEMO.officer, "/officer");
      await expectAccessible(page);
      await signIn(page, DEMO.admin, "/admin");
      await expectAccessible(page);
      await snap(page, `admin-home-${locale}`);
    });
  });
}

test("the portal works on a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, DEMO.holder, "/home");
  await expectAccessible(page);
  await snap(page, "holder-home-phone");
});
