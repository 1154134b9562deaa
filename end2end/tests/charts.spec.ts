import { type APIRequestContext, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, freshHolder, open, signIn, snap, uniqueEmail } from "./helpers";

/** A day in Asia/Shanghai (the holders' zone here), `back` days before today. */
function shanghaiDay(back: number): string {
  const at = new Date(Date.now() - back * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at);
}

/** Turns a consent on and hands the portal data through the apps' API. */
async function collect(request: APIRequestContext, token: string, feature: string, items: object[]): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  const granted = await request.put(`/api/v1/me/consents/${feature}`, { headers, data: { granted: true } });
  expect(granted.status()).toBe(200);
  for (const data of items) {
    const stored = await request.post(`/api/v1/collect/${feature}`, { headers, data });
    expect(stored.status(), JSON.stringify(data)).toBe(201);
  }
}

/** Ten days of steps (today-9 … today) and a track of six points yesterday and two the day before. */
async function holderWithData(request: APIRequestContext, locale = "en"): Promise<{ email: string; password: string; steps: Map<string, number> }> {
  const email = uniqueEmail("charts");
  const password = "a-long-and-unusual-passphrase-8";
  const token = await freshHolder(request, email, password, locale);
  const steps = new Map<string, number>();
  for (let back = 9; back >= 0; back--) steps.set(shanghaiDay(back), 2_000 + back * 1_337);
  await collect(request, token, "steps", [...steps].map(([date, n]) => ({ date, steps: n })));
  const yesterday = shanghaiDay(1);
  const before = shanghaiDay(2);
  const track = [0, 1, 2, 3, 4, 5].map((i) => ({
    lat: 22.54 + i * 0.004,
    lon: 114.05 + i * 0.006,
    at: `${yesterday}T${String(9 + i).padStart(2, "0")}:00:00+08:00`,
    accuracy_m: 60 - i * 7,
  }));
  const earlier = [0, 1].map((i) => ({ lat: 22.6, lon: 114.1 + i * 0.01, at: `${before}T12:0${i}:00+08:00`, accuracy_m: 30 }));
  await collect(request, token, "location", [...track, ...earlier]);
  return { email, password, steps };
}

/** The page does not scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

test("steps are a chart whose bars carry the API's figures, with a table beside it, in both languages and on a phone", async ({ page, request }) => {
  test.setTimeout(120_000);
  const holder = await holderWithData(request);
  await signIn(page, holder, "/home");

  // The overview: how many, since when, and whether collection is on.
  await open(page, "/data");
  const stepsCard = page.getByTestId("category-steps");
  await expect(stepsCard.getByTestId("count")).toHaveAttribute("data-count", "10");
  await expect(stepsCard.getByTestId("span")).toContainText(shanghaiDay(9));
  await expect(stepsCard.getByTestId("span")).toContainText(shanghaiDay(0));
  await expect(stepsCard.getByTestId("collecting")).toHaveAttribute("data-on", "true");
  await expect(page.getByTestId("category-cards").getByTestId("collecting")).toHaveAttribute("data-on", "false");
  await expect(page.getByTestId("category-messages").getByTestId("collecting")).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, "data-overview-spans-en");

  await stepsCard.getByRole("link").click();
  await expect(page).toHaveURL(/\/data\/steps$/);
  const chart = page.getByTestId("steps-chart");
  await expect(chart.getByTestId("step-bar")).toHaveCount(30);
  // Each bar carries its day's count, and so does the API.
  const day = shanghaiDay(3);
  const bar = chart.locator(`[data-testid=step-bar][data-day="${day}"]`);
  await expect(bar).toHaveAttribute("data-steps", String(holder.steps.get(day)));
  const api = await (await page.request.get(`/api/v1/me/data/steps?from=${day}&to=${day}`)).json();
  const fromApi = api.items[0].fields.find((f: { key: string }) => f.key === "steps").value;
  await expect(bar).toHaveAttribute("data-steps", fromApi);
  const shown = Number(fromApi).toLocaleString("en-US");
  await expect(chart.locator(`[data-testid=step-row][data-day="${day}"]`)).toContainText(shown);
  // A day without a record has an empty bar and says so in the table.
  await expect(chart.locator(`[data-testid=step-bar][data-day="${shanghaiDay(20)}"]`)).toHaveAttribute("data-steps", "");
  await expect(chart.locator(`[data-testid=step-row][data-day="${shanghaiDay(20)}"]`)).toContainText("no record");
  // Keyboard focus reads the day out.
  await bar.focus();
  await expect(page.getByTestId("chart-readout")).toHaveText(`${day}: ${shown} Steps`);
  // The year as a heat map, the shade following the count.
  const cells = chart.getByTestId("heat-cell");
  expect(await cells.count()).toBeGreaterThanOrEqual(365);
  await expect(chart.locator(`[data-testid=heat-cell][data-day="${day}"]`)).not.toHaveClass(/heat-0/);
  await expect(chart.locator(`[data-testid=heat-cell][data-day="${shanghaiDay(20)}"]`)).toHaveClass(/heat-0/);
  await expectAccessible(page);
  await snap(page, "data-steps-en");

  // Chinese.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(chart.getByRole("heading", { name: "最近 30 天" })).toBeVisible();
  await bar.focus();
  await expect(page.getByTestId("chart-readout")).toHaveText(`${day}: ${shown} 步数`);
  await expectAccessible(page);
  await snap(page, "data-steps-zh");

  // A phone: the chart shrinks, the log tables stack, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, "/data/steps");
  await expectNoSidewaysScroll(page);
  await snap(page, "data-steps-phone-zh");
  await open(page, "/data/sign_ins");
  await expect(page.getByTestId("data-table").getByTestId("data-item").first()).toBeVisible();
  // Stacked rows name each value: the column's label goes beside it.
  await expect(page.getByTestId("data-table").locator("tbody td").first()).toHaveAttribute("data-label", "IP 地址");
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
  await snap(page, "data-sign-ins-phone-zh");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("location is plotted for a chosen day, sorted in a table and deleted as a range", async ({ page, request }) => {
  test.setTimeout(120_000);
  const holder = await holderWithData(request);
  await signIn(page, holder, "/home");
  await open(page, "/data/location");
  const plot = page.getByTestId("location-plot");
  await expect(plot.getByTestId("plot-point")).toHaveCount(8);
  await expect(page.getByTestId("data-table").getByTestId("data-item")).toHaveCount(8);

  // One day, chosen in the form: the URL carries it, the plot joins the track.
  const yesterday = shanghaiDay(1);
  await page.getByTestId("range-from").fill(yesterday);
  await page.getByTestId("range-to").fill(yesterday);
  await page.getByTestId("range-show").click();
  await expect(page).toHaveURL(new RegExp(`/data/location\\?from=${yesterday}&to=${yesterday}$`));
  await expect(plot.getByTestId("plot-point")).toHaveCount(6);
  await expect(plot.locator("path.track")).toHaveCount(1);
  await expect(plot.getByTestId("plot-scale")).toHaveAttribute("data-metres", /^(1|2|5)0*$/);
  await expect(page.getByTestId("data-table").getByTestId("data-item")).toHaveCount(6);
  await expectAccessible(page);
  await snap(page, "data-location-day-en");
  // A bookmark of it shows the same (rendered by the server).
  await open(page, `/data/location?from=${yesterday}&to=${yesterday}`);
  await expect(plot.getByTestId("plot-point")).toHaveCount(6);
  // In Chinese.
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(plot.getByRole("heading", { name: "位置分布" })).toBeVisible();
  await expect(page.getByTestId("data-table").getByTestId("sort-accuracy_m")).toContainText("精度");
  await expectAccessible(page);
  await snap(page, "data-location-day-zh");
  await page.getByTestId("language-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  // Sorting by a column: accuracy ascending (numbers, not text).
  const table = page.getByTestId("data-table");
  await table.getByTestId("sort-accuracy_m").click();
  await expect(table.locator("th[aria-sort=ascending]")).toHaveCount(1);
  const accuracies = await table.locator("tbody tr td:nth-of-type(3)").allTextContents();
  expect(accuracies.map(Number)).toEqual([25, 32, 39, 46, 53, 60]);
  await table.getByTestId("sort-accuracy_m").click();
  await expect(table.locator("th[aria-sort=descending]")).toHaveCount(1);

  // A first day after the last is refused next to the field.
  await page.getByTestId("range-from").fill(shanghaiDay(0));
  await page.getByTestId("range-to").fill(shanghaiDay(5));
  await page.getByTestId("range-show").click();
  await expect(page.locator("#range-from-error")).toHaveText("The first day comes after the last; swap them.");
  await expect(page.getByTestId("range-from")).toHaveAttribute("aria-invalid", "true");

  // Deleting the day in one confirmed action.
  await open(page, `/data/location?from=${yesterday}&to=${yesterday}`);
  await page.getByTestId("range-delete").click();
  await snap(page, "data-location-range-confirm-en");
  await page.getByTestId("range-delete-confirm").click();
  await expect(page.getByTestId("range-deleted")).toHaveText("6 items deleted");
  await expect(page.getByTestId("data-empty")).toBeVisible();
  await page.getByTestId("range-all").click();
  await expect(page).toHaveURL(/\/data\/location$/);
  await expect(page.getByTestId("data-table").getByTestId("data-item")).toHaveCount(2);
  const left = await (await page.request.get("/api/v1/me/data/location")).json();
  expect(left.items).toHaveLength(2);
  // The activity names the range and the count.
  await open(page, "/data/activity");
  await expect(page.getByTestId("data-item").first()).toContainText("Deleted a range of days");
  await expect(page.getByTestId("data-item").first()).toContainText(`${yesterday}..${yesterday}`);
});

test("messages are searched by text and a period narrows them", async ({ page }) => {
  await signIn(page, DEMO.holder, "/home");
  await open(page, "/data/messages");
  const first = (await page.getByTestId("data-item").first().locator("dd").nth(2).textContent())!.trim();
  const word = first.split(/\s+/).find((w) => w.length >= 3) ?? first;
  await page.getByTestId("range-q").fill(word);
  await page.getByTestId("range-show").click();
  await expect(page).toHaveURL(/[?&]q=/);
  const items = page.getByTestId("data-item");
  await expect(items.first()).toBeVisible();
  for (const text of await items.allTextContents()) {
    expect(text.toLowerCase()).toContain(word.toLowerCase());
  }
  await expectAccessible(page);
  await snap(page, "data-messages-search-en");
});
