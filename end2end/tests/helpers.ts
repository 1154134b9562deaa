import { expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import * as fs from "node:fs";
import * as path from "node:path";
import { pageLog } from "./fixtures";

export const DEMO = {
  holder: { email: "demo@example.com", password: "demo-password-1" },
  officer: { email: "officer@example.com", password: "officer-password-1" },
  admin: { email: "admin@example.com", password: "admin-password-1" },
};

/**
 * Opens a page and waits until the wasm has hydrated it (forms are live).
 * When it does not come alive, the message says what the browser reported.
 */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expectLive(page);
}

/** Waits for the page's live mark; without it, fails naming the browser's errors. */
export async function expectLive(page: Page): Promise<void> {
  try {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  } catch (e) {
    const log = pageLog(page);
    const shown = log.length > 12 ? [...log.slice(0, 12), `… and ${log.length - 12} more`] : log;
    throw new Error(
      `${page.url()} did not come alive (no data-hydrated mark); the browser reported${
        log.length === 0 ? " no error" : `:\n${shown.join("\n")}`
      }\n${e instanceof Error ? e.message : e}`,
    );
  }
}

/** A fresh e-mail address per test, so tests never share an account. */
export function uniqueEmail(prefix = "holder"): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Signs in through the form and waits for the role's home. */
export async function signIn(page: Page, who: { email: string; password: string }, home: string): Promise<void> {
  await open(page, "/login");
  await page.getByLabel(/E-mail address|电子邮箱/).fill(who.email);
  await page.getByLabel(/^(Password|密码)$/).fill(who.password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await expect(page).toHaveURL(new RegExp(`${home}$`));
}

/** Saves a named full-page screenshot beside the test results, for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = path.join(__dirname, "..", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Fails on any serious or critical WCAG 2.1 AA violation of the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Files a copy request to the Privacy Officer without an account; returns its acknowledgment. */
export async function fileAsStranger(page: Page): Promise<{ ack: string; token: string }> {
  await open(page, "/requests/new");
  await page.getByLabel("What do you ask for?").selectOption("copy");
  await page.getByLabel("Describe your request").fill("Please send me a copy of all data about my account.");
  await page.getByLabel("E-mail address for our answer").fill("wang.fang@example.com");
  await page.getByLabel("How can we confirm it is you?").fill("Account ID wxid_88 and mobile ending 4412");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("receipt")).toBeVisible();
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();
  const token = (await page.getByTestId("receipt-token").textContent())!.trim();
  expect(ack).toMatch(/^PR-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await expect(page.getByTestId("receipt-due")).toContainText("23:59:59 (Asia/Shanghai)");
  return { ack, token };
}


/** Where the portal under test drops its e-mails (`<data>/mail/*.eml`). */
const mailDir = path.join(__dirname, "..", ".data", "mail");

/**
 * The newest e-mail to `to` (with this subject, when given), waiting for the
 * portal's sender (it runs every 10 s).
 */
export async function newestMailTo(
  to: string,
  subject?: string,
  skip: Set<string> = new Set(),
): Promise<{ subject: string; body: string }> {
  let found: { subject: string; body: string; at: number } | undefined;
  await expect
    .poll(
      () => {
        found = undefined;
        for (const name of fs.existsSync(mailDir) ? fs.readdirSync(mailDir) : []) {
          if (!name.endsWith(".eml") || skip.has(name)) continue;
          const file = path.join(mailDir, name);
          const text = fs.readFileSync(file, "utf8");
          const split = text.indexOf("\r\n\r\n");
          const head = text.slice(0, split);
          const header = (key: string) => head.match(new RegExp(`^${key}: (.*)$`, "m"))?.[1]?.trim() ?? "";
          if (header("To").toLowerCase() !== to.toLowerCase()) continue;
          const at = fs.statSync(file).mtimeMs;
          if (found && found.at >= at) continue;
          const decoded = header("Subject").replace(/^=\?UTF-8\?B\?(.*)\?=$/, (_, b64: string) =>
            Buffer.from(b64, "base64").toString("utf8"),
          );
          if (subject !== undefined && decoded !== subject) continue;
          const body = Buffer.from(text.slice(split + 4).replace(/\s+/g, ""), "base64").toString("utf8");
          found = { subject: decoded, body, at };
        }
        return found !== undefined;
      },
      { timeout: 30_000, message: `an e-mail to ${to}` },
    )
    .toBe(true);
  return { subject: found!.subject, body: found!.body };
}

/** The link in an e-mail's text whose path starts with `path` (such as "/verify-email"). */
export function linkIn(body: string, path: string): string {
  const match = body.split(/\s+/).find((word) => /^https?:\/\//.test(word) && new URL(word).pathname === path);
  expect(match, `a link to ${path} in:\n${body}`).toBeDefined();
  return match!;
}

/**
 * A fresh holder, signed up through the API and its e-mail link, so a test
 * can change data no other spec reads; answers the bearer token.
 */
/** The e-mails dropped so far (to wait for a newer one). */
export function mailsSoFar(): Set<string> {
  return new Set(fs.existsSync(mailDir) ? fs.readdirSync(mailDir) : []);
}

export async function freshHolder(request: APIRequestContext, email: string, password: string, locale = "en"): Promise<string> {
  const before = mailsSoFar();
  const started = await request.post("/api/v1/auth/signup", {
    data: { email, password, display_name: "Zhao Lei 赵磊", birth_date: "1988-03-09", locale },
  });
  expect(started.status()).toBe(202);
  const mail = await newestMailTo(email, undefined, before);
  const token = new URL(linkIn(mail.body, "/verify-email")).searchParams.get("token");
  const created = await request.post("/api/v1/auth/verify-email", { data: { token } });
  expect(created.status()).toBe(201);
  return (await created.json()).token;
}
