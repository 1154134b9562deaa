import { expect, test } from "./fixtures";
import { DEMO, expectAccessible, freshHolder, open, signIn, snap, uniqueEmail } from "./helpers";

// Journey: a holder complains about marketing with a screenshot attached;
// the officer reads it, asks a question, the holder answers on "My
// requests", the officer passes it to an administrator, who answers; the
// holder reads an answer that names the regulator and how to reach it.

/** A 1×1 PNG: what a phone's screenshot is, to the server. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082",
  "hex",
);

test("a complaint with a screenshot is answered, escalated and closed naming the regulator", async ({ page, browser, request }) => {
  // Three people, three sign-ins: longer than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const email = uniqueEmail("complaint");
  const password = "complaint-pass-1";
  await freshHolder(request, email, password);
  await signIn(page, { email, password }, "/home");

  await open(page, "/requests/new");
  await page.getByLabel("What do you ask for?").selectOption("complaint");
  // Complaints ask what they are about; the form says so next to the field.
  await page.getByLabel("Describe your request").fill("I turned marketing off and still get promotional messages every morning.");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("category-error")).toHaveText("This field is required.");
  await page.getByLabel("What is the complaint about?").selectOption("marketing");
  // The screenshot goes with it: sent once the request is filed.
  await page.getByLabel("Attachment (optional)").setInputFiles({ name: "ads.png", mimeType: "image/png", buffer: PNG });
  await snap(page, "complaint-form-en");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("receipt")).toBeVisible();
  await expect(page.getByTestId("attachment-status")).toHaveText("Attached: ads.png");
  const ack = (await page.getByTestId("receipt-ack").textContent())!.trim();
  await snap(page, "complaint-filed-en");

  // The officer sees the category and the file, and asks a question.
  const officerContext = await browser.newContext();
  const officer = await officerContext.newPage();
  await signIn(officer, DEMO.officer, "/officer");
  await open(officer, `/officer/requests/${ack}`);
  await expect(officer.getByTestId("complaint-category")).toHaveText("Marketing");
  const link = officer.getByTestId("attachments").getByRole("link", { name: "ads.png" });
  await expect(link).toBeVisible();
  const download = await officer.request.get(await link.getAttribute("href") as string);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("image/png");
  expect(Buffer.compare(await download.body(), PNG)).toBe(0);
  await officer.getByLabel(/Message, reason or summary/).fill("Which number sends the messages?");
  await officer.getByTestId("act-request-info").click();
  await expect(officer.getByTestId("status")).toContainText("Waiting");

  // The holder answers on "My requests", and adds a second file there; a
  // file that is not a document or an image is refused next to the field.
  await open(page, "/requests");
  const tools = page.getByTestId("requester-tools").first();
  await tools.getByTestId("reply-text").fill("106 9000 1234, every morning at 8.");
  await tools.getByTestId("reply-send").click();
  await expect(page.getByTestId("request").first().getByTestId("status")).toHaveText("In progress");
  await page.getByTestId("requester-tools").first().getByTestId("add-file").setInputFiles({
    name: "tool.exe",
    mimeType: "application/octet-stream",
    buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0xff, 0xfe]),
  });
  await expect(page.getByTestId("requester-tools").first().getByTestId("add-file-error")).toHaveText(
    "Attach a PDF, an image (PNG, JPEG, GIF, WebP) or a plain text file.",
  );
  await expectAccessible(page);

  // The officer passes it on; the administrator answers.
  await open(officer, `/officer/requests/${ack}`);
  await expect(officer.getByTestId("timeline")).toContainText("106 9000 1234");
  await officer.getByLabel(/Message, reason or summary/).fill("Third complaint about this sender this month.");
  await officer.getByTestId("act-escalate").click();
  await expect(officer.getByTestId("escalated-badge")).toBeVisible();
  await snap(officer, "complaint-escalated-en");
  await officerContext.close();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin, "/admin");
  await open(admin, "/officer/register");
  await admin.getByTestId("escalated-only").check();
  await expect(admin.getByTestId("register-row")).toHaveCount(1);
  await admin.getByRole("link", { name: ack }).click();
  await expect(admin.getByTestId("ack")).toHaveText(ack);
  await admin.getByLabel(/Message, reason or summary/).fill("We removed your number from every marketing list and stopped the sender.");
  await admin.getByTestId("act-fulfil").click();
  await expect(admin.getByTestId("status")).toContainText("Answered");
  await adminContext.close();

  // The holder reads the answer, which names the regulator and how.
  await open(page, "/requests");
  const card = page.getByTestId("request").first();
  await expect(card.getByTestId("answer")).toContainText("We removed your number");
  await expect(card.getByTestId("answer")).toContainText("Cyberspace Administration of China");
  await expect(card.getByTestId("answer")).toContainText("12377");
  await expect(card.getByTestId("attachments")).toContainText("ads.png");
  // Answered, it is no longer "with an administrator"; its history says it was.
  await expect(card.getByTestId("escalated-badge")).toHaveCount(0);
  await expect(card.getByTestId("timeline")).toContainText("Passed to an administrator");
  await expect(card.getByTestId("timeline")).toContainText("Which number sends the messages?");
  await expectAccessible(page);
  await snap(page, "complaint-answered-en");
  await page.getByTestId("language-switch").click();
  await expect(card.getByTestId("complaint-category")).toHaveText("营销推广");
  await expect(card.getByTestId("answer")).toContainText("网信办");
  await snap(page, "complaint-answered-zh");
});
