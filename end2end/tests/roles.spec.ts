import { expect, test } from "./fixtures";
import { DEMO, open, signIn, snap } from "./helpers";

// Journey: each role reaches its own home and no other.

test("the officer reaches the officer home", async ({ page }) => {
  await signIn(page, DEMO.officer, "/officer");
  await expect(page.getByRole("heading", { name: "Privacy Officer" })).toBeVisible();
  await expect(page.getByTestId("card-register")).toBeVisible();
  await snap(page, "officer-home-en");
});

test("a holder is turned away from the officer and administrator homes", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  const officer = await page.goto("/officer");
  expect(officer?.status()).toBe(403);
  await expect(page.getByTestId("access-denied")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByTestId("officer-home")).toHaveCount(0);
  await snap(page, "holder-denied-officer-en");
  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(403);
  await expect(page.getByTestId("admin-home")).toHaveCount(0);
  for (const path of ["/admin/policies", "/admin/audit", "/officer/register"]) {
    expect((await page.goto(path))?.status(), path).toBe(403);
  }
});

test("staff have no personal-data pages of their own", async ({ page }) => {
  await signIn(page, DEMO.officer, "/officer");
  expect((await page.goto("/data/posts"))?.status()).toBe(403);
  expect((await page.goto("/admin/audit"))?.status()).toBe(403);
});

test("the administrator reaches the administration home", async ({ page }) => {
  await signIn(page, DEMO.admin, "/admin");
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
  await snap(page, "admin-home-en");
});

test("someone signed out is asked to sign in", async ({ page }) => {
  const response = await page.goto("/home");
  expect(response?.status()).toBe(401);
  await expect(page.getByTestId("sign-in-required")).toBeVisible();
  await open(page, "/home");
  await page.getByTestId("sign-in-required").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});
