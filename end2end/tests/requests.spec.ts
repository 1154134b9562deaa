import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, expectLive, fileAsStranger, open, signIn, snap } from "./helpers";

// Journeys: someone without an account writes to the Privacy Officer and
// follows the request; a holder files a deletion request; the officer
// verifies, extends and answers; the clock moves and the register shows overdue.

test("someone without an account writes to the Privacy Officer and follows the request", async ({ page }) => {
  const { ack } = await fileAsStranger(page);
  await snap(page, "request-receipt-en");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Follow this request" }).click();
  await expect(page.getByTestId("ack")).toHaveText(ack);
  await expect(page.getByTestId("status")).toContainText("Verifying your identity");
  await expect(page.getByTestId("timeline")).toContainText("Received");
  await expect(page.getByTestId("countdown")).toHaveText(/days left/);
  await expectAccessible(page);
  await snap(page, "request-track-en");
});

test("an empty request shows the error next to the field", async ({ page }) => {
  await open(page, "/requests/new");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("details-error")).not.toBeEmpty();
});

test("a holder files a deletion request, the officer works it, the holder sees the answer", async ({ page, browser }) => {
  await signIn(page, DEMO.holder, "/home");
  await open(page, "/requests/new");
  await page.getByLabel("What do you ask for?").selectOption("deletion");
  await page.getByLabel("Describe your request").fill("Delete the location history of March 2026.");
  await expect(page.getByLabel("E-mail address for our answer")).toHaveCount(0);
  await page.getByRole("button", { name: "Send request" }).click();
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();

  const officerContext = await browser.newContext();
  const officer = await officerContext.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, "/officer/register");
  await expect(officer.getByTestId("register")).toContainText(ack);
  await expect(officer.getByTestId("dashboard")).toBeVisible();
  await snap(officer, "officer-register-en");
  await officer.getByRole("link", { name: ack }).click();
  await expect(officer.getByTestId("ack")).toHaveText(ack);
  await expectLive(officer);

  // An extension needs a reason, shown to the officer; then it moves the due date.
  await officer.getByTestId("act-extend").click();
  await expect(officer.getByTestId("action-error")).toContainText(/required|reason/i);
  await officer.getByLabel(/Message, reason or summary/).fill("The location archive must be restored first.");
  await officer.getByLabel("Days of extension").fill("10");
  await officer.getByTestId("act-extend").click();
  await expect(officer.getByTestId("timeline")).toContainText("Deadline extended");
  await officer.getByLabel(/Message, reason or summary/).fill("Deleted the location history of March 2026.");
  await officer.getByTestId("act-fulfil").click();
  await expect(officer.getByTestId("status")).toContainText("Answered");
  await snap(officer, "officer-request-en");
  await expectAccessible(officer);
  await officerContext.close();

  await open(page, "/requests");
  const mine = page.getByTestId("request").filter({ hasText: ack });
  await expect(mine.getByTestId("status")).toContainText("Answered");
  await expect(mine.getByTestId("answer")).toHaveText("Deleted the location history of March 2026.");
  await snap(page, "my-requests-en");
  // The answer is in the holder's inbox too.
  await open(page, "/inbox");
  await expect(page.getByTestId("inbox")).toContainText(`Your request was answered (${ack})`);
  await expectAccessible(page);
  await snap(page, "inbox-en");
});

test("the request form and the tracking page speak Chinese", async ({ page }) => {
  await open(page, "/requests/new");
  await page.getByTestId("language-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("提出请求");
  await page.getByLabel("请描述你的请求").fill("请把我的全部数据副本发给我。");
  await page.getByLabel("接收答复的电子邮箱").fill("zhang.wei@example.com");
  await page.getByLabel("我们如何确认是你本人？").fill("账号 ID wxid_42，手机尾号 9901");
  await page.getByRole("button", { name: "提交请求" }).click();
  await expect(page.getByTestId("receipt")).toContainText("请求已受理");
  await page.getByRole("link", { name: "查看此请求" }).click();
  await expect(page.getByTestId("status")).toContainText("正在核验身份");
  await expect(page.getByTestId("countdown")).toHaveText(/还剩 \d+ 天/);
  await expectAccessible(page);
  await snap(page, "request-track-zh");
});
