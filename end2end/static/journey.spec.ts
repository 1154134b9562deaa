import { expect, test } from "../tests/fixtures";
import { DEMO, open, signIn, snap } from "../tests/helpers";

// The static build (Trunk.toml) renders in the browser and reaches the portal
// on another origin: every server function goes there, with the session
// cookie, and the portal answers this origin alone (PORTAL_STATIC_ORIGIN).

const portalPort = Number(process.env.E2E_PORTAL_PORT ?? 3211);
const portal = `http://127.0.0.1:${portalPort}`;

test("the holder signs in, sees their data, deletes an item and files a request on the static build", async ({ page, baseURL }) => {
  const calls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/sfn/")) calls.push(request.url());
  });
  const failures: string[] = [];
  page.on("pageerror", (error) => failures.push(error.message));

  // The page is the static site's, with nothing rendered by a server.
  const landing = await page.request.get("/");
  expect(await landing.text()).not.toContain("data-testid");
  await open(page, "/");
  await expect(page.getByRole("link", { name: /^(Sign in|登录)$/ }).first()).toBeVisible();

  await signIn(page, DEMO.holder, "/home");
  expect(page.url().startsWith(baseURL!)).toBe(true);
  await snap(page, "static-home-en");

  // A deep link: the static host answers index.html, the app renders the page
  // and asks the portal for the data with the session cookie.
  await open(page, "/data/messages");
  await expect(page.getByTestId("data-category")).toBeVisible();
  const item = page.getByTestId("data-item").first();
  const id = await item.getAttribute("data-id");
  expect(id).toBeTruthy();
  await item.getByTestId("delete").click();
  await item.getByTestId("confirm-delete").click();
  await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  // Deleted on the portal, not only on the page.
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("data-item").first()).toBeVisible();
  await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  await snap(page, "static-messages-en");

  await open(page, "/requests/new");
  await page.getByLabel("What do you ask for?").selectOption("deletion");
  await page.getByLabel("Describe your request").fill("Delete the location history of March 2026.");
  await page.getByRole("button", { name: "Send request" }).click();
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();
  expect(ack).toMatch(/^PR-\d{4}-/);
  await snap(page, "static-request-sent-en");
  await open(page, "/requests");
  await expect(page.getByText(ack)).toBeVisible();

  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((url) => !url.startsWith(`${portal}/sfn/`))).toEqual([]);
  expect(failures).toEqual([]);
});

test("the static build speaks Chinese: the browser's language first, then the one chosen", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await open(page, "/login");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  // Remembered in this browser, over its own preference.
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
  await signIn(page, DEMO.holder, "/home");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的隐私权利");
  await snap(page, "static-home-zh");
  await context.close();
});

test("the portal answers the static build's origin and no other", async ({ page }) => {
  const call = (portalOrigin: string) =>
    page.evaluate(async (origin) => {
      try {
        const answer = await fetch(`${origin}/sfn/current_user`, { method: "POST", credentials: "include" });
        return `answered ${answer.status}`;
      } catch {
        return "blocked";
      }
    }, portalOrigin);
  await open(page, "/");
  expect(await call(portal)).toBe("answered 200");
  // The same site under another name is another origin, which the portal
  // was not told to allow: the browser keeps the answer from the page.
  const staticPort = Number(process.env.E2E_STATIC_PORT ?? 3220);
  await page.goto(`http://localhost:${staticPort}/`);
  expect(await call(portal)).toBe("blocked");
});
