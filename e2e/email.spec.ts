import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import nodemailer from "nodemailer";
import { E2E_PORT } from "./constants.ts";
import { ADMIN, Api, checkA11y, ensureSetup, newSignedInPage, screenshot, unique } from "./helpers.ts";

/**
 * The email channel in the real UI, with mail delivered over real SMTP to the e2e server's
 * built-in receiver (playwright.config.ts starts it on E2E_PORT + 15): an admin creates a
 * mailbox, a message that fails processing is listed with its error and retried, and an
 * email reply shows its quoted history folded and its remote images blocked until shown.
 */
const BASE = `http://127.0.0.1:${E2E_PORT}`;
const SMTP_PORT = E2E_PORT + 15;

function send(mail: nodemailer.SendMailOptions) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: SMTP_PORT, ignoreTLS: true });
  return transport.sendMail(mail).finally(() => transport.close());
}

type Item = { id: string; subject: string | null; status: string; attempts: number; error: string | null };

test("email: mailbox admin, failed mail retry, quoted history and blocked images in the thread", async ({
  browser,
}, testInfo) => {
  await ensureSetup(BASE);
  const api = await Api.login(BASE, ADMIN.email, ADMIN.password);
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/email");
  const address = `${unique("help")}@e2e-mail.test`.toLowerCase();

  // 1. The admin creates a mailbox in the UI; its SMTP password is never shown back.
  await page.getByRole("button", { name: "Add mailbox" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email address").fill(address);
  await dialog.getByLabel("Display name").fill("E2E Help Desk");
  await dialog.getByRole("textbox", { name: "SMTP server" }).fill("127.0.0.1");
  await dialog.getByRole("textbox", { name: "SMTP password" }).fill("smtp-s3cret-value");
  await dialog.getByRole("tab", { name: "Tiếng Việt" }).click();
  await dialog.getByLabel("Subject (Tiếng Việt)").fill("Chúng tôi đã nhận yêu cầu của bạn");
  await dialog.getByLabel("Message (Tiếng Việt)").fill("Phiếu số {number} đã được tạo.");
  await screenshot(page, testInfo, "email-mailbox-form-en");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("mailbox-row").filter({ hasText: address });
  await expect(row).toBeVisible();
  await expect(row).toContainText("E2E Help Desk");
  const saved = (
    await api.get<Array<{ address: string; smtp: { hasPassword: boolean } }>>("/email/mailboxes")
  ).find((m) => m.address === address);
  expect(saved?.smtp.hasPassword).toBe(true);
  await page.getByRole("button", { name: `Edit ${address}` }).click();
  await expect(dialog.getByRole("textbox", { name: "SMTP password" })).toHaveValue("");
  await expect(dialog.getByRole("textbox", { name: "SMTP password" })).toHaveAttribute(
    "placeholder",
    "Saved — type to replace",
  );
  expect(await page.content()).not.toContain("smtp-s3cret-value");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await checkA11y(page, testInfo, "email-mailboxes");
  await screenshot(page, testInfo, "email-mailboxes-en");

  // 2. Real mail over SMTP: a Gmail-style reply with a remote image and quoted history,
  //    and a message from an absurd 8,000-character address that the database refuses.
  const subject = unique("Printer jam");
  await send({
    from: '"Lan Nguyen" <lan@customer.e2e>',
    to: address,
    subject,
    text: "The printer is still jammed.\n\nOn Mon, Jun 3, 2024 at 10:00 AM Support wrote:\n> Have you tried turning it off and on again?",
    html: [
      '<div dir="ltr">The printer is still jammed.<br>',
      '<img src="https://images.example.test/jam.png" alt="photo of the jam" width="40" height="40"></div><br>',
      '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Jun 3, 2024 at 10:00 AM Support wrote:<br></div>',
      '<blockquote class="gmail_quote">Have you tried turning it off and on again?</blockquote></div>',
    ].join(""),
  });
  const badSubject = unique("Absurd sender");
  const local = randomBytes(4000).toString("hex");
  await send({
    envelope: { from: "bounce@customer.e2e", to: [address] },
    raw: `From: ${local}@customer.e2e\r\nTo: ${address}\r\nSubject: ${badSubject}\r\nMessage-ID: <${unique("bad")}@customer.e2e>\r\n\r\nhello\r\n`,
  });

  // 3. The failed message is listed with its error and its raw source, and can be retried.
  await page.getByRole("tab", { name: "Received mail" }).click();
  const failedRow = page.getByTestId("inbound-row").filter({ hasText: badSubject });
  await expect
    .poll(
      async () => {
        await page.getByRole("tab", { name: "Mailboxes" }).click();
        await page.getByRole("tab", { name: "Received mail" }).click();
        return failedRow.count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await expect(failedRow).toHaveAttribute("data-status", "failed");
  const failed = (await api.get<{ items: Item[] }>("/email/inbound?status=failed")).items.find(
    (i) => i.subject === badSubject,
  );
  expect(failed?.error).toBeTruthy();
  await expect(failedRow.getByTestId("inbound-error")).toContainText((failed?.error ?? "").slice(0, 20));
  const raw = await page.request.get(
    await failedRow.getByRole("link", { name: "Download raw" }).getAttribute("href").then(String),
  );
  expect(raw.status()).toBe(200);
  expect(raw.headers()["content-disposition"]).toContain(".eml");
  expect(await raw.text()).toContain(`Subject: ${badSubject}`);
  await screenshot(page, testInfo, "email-failed-mail-en");
  await failedRow.getByRole("button", { name: "Retry" }).click();
  // Processed again through the same job; the address is still refused, so it fails again.
  await expect
    .poll(async () => (await api.get<Item>(`/email/inbound/${failed?.id}`)).attempts, { timeout: 30_000 })
    .toBe(2);
  await page.getByRole("tab", { name: "Mailboxes" }).click();
  await page.getByRole("tab", { name: "Received mail" }).click();
  await expect(failedRow).toContainText("2 attempts");

  // The outbound queue: the acknowledgement went to a server that is not listening.
  await page.getByRole("tab", { name: "Outbound queue" }).click();
  await expect(page.getByTestId("outbound-row").filter({ hasText: subject }).first()).toBeVisible();
  await screenshot(page, testInfo, "email-outbound-en");

  // 4. The thread: quoted history folded, full original one click away; images blocked until shown.
  const tickets = await api.get<{ items: Array<{ id: string; subject: string }> }>("/tickets?limit=100");
  const ticket = tickets.items.find((x) => x.subject === subject);
  expect(ticket).toBeTruthy();
  await page.goto(`/tickets/${ticket?.id}`);
  const message = page.locator("article[data-kind=customer]").first();
  await expect(message.locator(".message-body").first()).toContainText("The printer is still jammed.");
  await expect(message).not.toContainText("turning it off and on again");
  await expect(message.locator('img[src^="https://images.example.test"]')).toHaveCount(0);
  await expect(message.getByTestId("email-images-blocked")).toContainText("1 remote images blocked");
  await screenshot(page, testInfo, "email-thread-folded-en");

  await message.getByRole("button", { name: "Show quoted text (full original)" }).click();
  const original = message.getByTestId("email-original");
  await expect(original).toContainText("Have you tried turning it off and on again?");
  await expect(message.getByRole("button", { name: "Hide full original" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );

  await message.getByRole("button", { name: "Show images" }).click();
  await expect(message.getByTestId("email-images-blocked")).toHaveCount(0);
  await expect(
    message.locator(".message-body").first().locator('img[src="https://images.example.test/jam.png"]'),
  ).toHaveCount(1);
  await checkA11y(page, testInfo, "email-thread");
  await screenshot(page, testInfo, "email-thread-original-en");
  await api.dispose();
});
