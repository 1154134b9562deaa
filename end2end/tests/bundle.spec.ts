import { expect, test } from "./fixtures";
import { DEMO, open } from "./helpers";

// The pages' code is split out of the main wasm by area (app/src/routes.rs,
// issue #12): the browser fetches an area's files when one of its pages is
// first shown, and a page opened directly hydrates with its area's files.

function pageFiles(page: import("@playwright/test").Page): string[] {
  const fetched: string[] = [];
  page.on("request", (request) => {
    const name = new URL(request.url()).pathname.split("/").pop() ?? "";
    if (name.startsWith("split_")) fetched.push(name);
  });
  return fetched;
}

test("the landing page loads no area's code; going to sign in fetches the account pages', and they work", async ({ page }) => {
  const fetched = pageFiles(page);
  await open(page, "/");
  expect(fetched).toEqual([]);

  // A client-side navigation: the router loads the page's file, then shows it.
  await page.locator("header").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("E-mail address").fill(DEMO.holder.email);
  await page.getByLabel(/^Password$/).fill(DEMO.holder.password);
  await page.getByRole("button", { name: /^Sign in$/ }).click();
  await expect(page).toHaveURL(/\/home$/);
  expect(fetched.some((name) => name.includes("account_area"))).toBe(true);
  expect(fetched.some((name) => name.includes("holder_area"))).toBe(true);
  // Areas not shown stay unloaded.
  expect(fetched.filter((name) => /data_area|admin_area|officer_area/.test(name))).toEqual([]);
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a page opened directly hydrates with its area's files", async ({ page }) => {
    const fetched = pageFiles(page);
    await open(page, "/signup");
    expect(fetched.some((name) => name.includes("account_area"))).toBe(true);
    expect(fetched.filter((name) => name.includes("holder_area"))).toEqual([]);
    // Hydrated: the form checks its fields in the browser and says so beside them.
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator("main form [aria-invalid=true]").first()).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  });
});

test("a page whose area's file fails to load at first still comes alive", async ({ page }) => {
  // The first fetch of the account area's file loses its connection, the
  // second is answered 404 (as CI once saw); the loader's fetch tries again.
  let refused = 0;
  await page.route(/\/pkg\/split_account_area_/, async (route) => {
    refused += 1;
    if (refused === 1) {
      await route.abort("connectionreset");
    } else if (refused === 2) {
      await route.fulfill({ status: 404, contentType: "text/html", body: "<!DOCTYPE html><p>Not found</p>" });
    } else {
      await route.continue();
    }
  });
  await open(page, "/login");
  expect(refused).toBe(3);
  // Alive: the form checks its fields in the browser and says so beside them.
  await page.getByRole("button", { name: /^Sign in$/ }).click();
  await expect(page.locator("main form [aria-invalid=true]").first()).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});
