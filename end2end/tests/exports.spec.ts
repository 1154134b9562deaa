import { type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, test } from "./fixtures";
import { expectAccessible, expectLive, freshHolder, open, signIn, snap, uniqueEmail } from "./helpers";

/** Unpacks a downloaded ZIP (Python's zipfile: no npm package needed) and answers the folder. */
function unzip(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-export-"));
  execFileSync("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", file, dir]);
  return dir;
}

/** Asks for an export on the page, watches the bar reach 100, enters the password, downloads and unpacks it. */
async function exportAndDownload(page: Page, password: string, name: string): Promise<string> {
  await page.getByTestId("export-start").click();
  const row = page.getByTestId("export").first();
  await expect(row.getByTestId("export-progress")).toBeVisible();
  // The bar moves without reloading: the page asks again every second.
  await expect(row.getByTestId("export-percent")).toHaveText("100%", { timeout: 30_000 });
  await expect(row).toHaveAttribute("data-status", "ready");
  await snap(page, `${name}-ready`);
  await page.locator("#export-password").fill(password);
  await page.getByTestId("export-reauth-submit").click();
  const waiting = page.waitForEvent("download");
  await row.getByTestId("export-download").click();
  const download = await waiting;
  expect(download.suggestedFilename()).toMatch(/^privacy-export-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = await download.path();
  return unzip(file!);
}

test("the holder exports the whole account, watches the bar, re-enters the password and reads index.html", async ({ page, request }) => {
  test.setTimeout(120_000);
  // A holder of its own: the demo holder's activity is read by other specs.
  const email = uniqueEmail("export");
  const password = "a-long-and-unusual-passphrase-8";
  await freshHolder(request, email, password, "en");
  await signIn(page, { email, password }, "/home");
  await page.getByTestId("card-export").getByRole("link").click();
  await expect(page).toHaveURL(/\/exports$/);
  await expectLive(page);
  await expectAccessible(page);
  await snap(page, "exports-en");

  const folder = await exportAndDownload(page, password, "exports-whole-en");
  // Every part is there, and the manifest's checksums hold.
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8"));
  expect(manifest.whole_account).toBe(true);
  expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
    expect.arrayContaining(["index.html", "README.txt", "messages/messages.json", "location/location.geojson", "steps/steps.csv"]),
  );
  // The readable page works offline, from the file itself.
  const index = page.context();
  const reader = await index.newPage();
  await reader.goto(`file://${path.join(folder, "index.html")}`);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText("Your personal data");
  await expect(reader.locator("tr[data-category=steps]")).toContainText("Daily steps");
  await expect(reader.locator("tr[data-category=messages] a").first()).toHaveAttribute("href", "messages/messages.json");
  await snap(reader, "export-index-en");
  await reader.close();

  // A finished export can be deleted; the list says so.
  await page.getByTestId("export").first().getByTestId("export-remove").click();
  await expect(page.getByTestId("exports-none")).toBeVisible();
});

test("a holder who reads Chinese exports chosen categories and gets the index in Chinese", async ({ page, request }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("export");
  const password = "a-long-and-unusual-passphrase-7";
  await freshHolder(request, email, password, "zh-CN");
  await signIn(page, { email, password }, "/home");
  await open(page, "/exports");
  // The page follows the browser's language; the archive the account's.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("export-chosen").check();
  await page.getByTestId("export-categories").getByLabel("个人资料").check();
  await page.getByTestId("export-categories").getByLabel("授权").check();
  await snap(page, "exports-chosen-zh");
  await expectAccessible(page);
  const folder = await exportAndDownload(page, password, "exports-zh");
  const files = fs.readdirSync(folder).sort();
  expect(files).toEqual(["README.txt", "consents", "index.html", "manifest.json", "profile"]);
  const reader = await page.context().newPage();
  await reader.goto(`file://${path.join(folder, "index.html")}`);
  await expect(reader.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText("你的个人数据");
  await expect(reader.locator("body")).toContainText("Zhao Lei 赵磊");
  await snap(reader, "export-index-zh");
  await reader.close();
});
