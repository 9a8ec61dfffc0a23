import { expect, test } from "@playwright/test";
import nodemailer from "nodemailer";
import { startCapture } from "../apps/server/src/modules/email/email.testkit.ts";
import { E2E_PORT } from "./constants.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  ensureSetup,
  expectNoSidewaysScroll,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

/**
 * Side conversations (issue 14) in the real UI, with real mail both ways: a customer's email
 * opens a ticket; the agent starts a side conversation with a courier from the ticket; the
 * mailbox's SMTP server (a capturing one, `startCapture`) receives it; the courier's reply, sent
 * over SMTP to the e2e server's receiver, lands in that side conversation on the open ticket
 * page, never in the customer's thread.
 */
const BASE = `http://127.0.0.1:${E2E_PORT}`;
const INBOUND_SMTP = E2E_PORT + 15;

let capture: Awaited<ReturnType<typeof startCapture>>;

test.beforeAll(async () => {
  capture = await startCapture();
});

test.afterAll(async () => {
  await capture?.close();
});

function send(mail: nodemailer.SendMailOptions) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: INBOUND_SMTP, ignoreTLS: true });
  return transport.sendMail(mail).finally(() => transport.close());
}

type TicketRow = { id: string; subject: string };

// On the desktop and on a phone (390×844), where the side conversations are in the properties drawer.
for (const phone of [false, true])
  test(`side conversation: started from a ticket, emailed out, the reply comes back by email into it (${phone ? "phone 390×844" : "desktop"})`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(180_000);
    await ensureSetup(BASE);
    const api = await Api.login(BASE, ADMIN.email, ADMIN.password);
    const address = `${unique("desk")}@e2e-side.test`.toLowerCase();
    await api.send("POST", "/email/mailboxes", {
      address,
      displayName: "Side Desk",
      smtp: { host: "127.0.0.1", port: capture.port, tls: "none" },
      ackEnabled: false,
    });

    // The customer writes in: a ticket.
    const subject = unique("Parcel never arrived");
    await send({
      from: '"Mai Tran" <mai@customer.e2e>',
      to: address,
      subject,
      text: "Where is my parcel 4471?",
    });
    let ticket: TicketRow | undefined;
    await expect
      .poll(
        async () => {
          const list = await api.get<{ items: TicketRow[] }>("/tickets?limit=100");
          ticket = list.items.find((x) => x.subject === subject);
          return ticket !== undefined;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const ticketsBefore = (await api.get<{ items: TicketRow[] }>("/tickets?limit=100")).items.length;

    // The agent starts a side conversation with the courier from the ticket page.
    const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, `/tickets/${ticket?.id}`, {
      notificationOfferAnswered: true,
      phone,
    });
    const tag = phone ? "phone-en" : "ticket-en";
    if (phone) {
      await expect(page.getByTestId("properties-button")).toBeVisible({ timeout: 45_000 });
      await page.getByTestId("properties-button").click();
    }
    // On a phone the sidebar's panels are in the properties drawer (the page keeps a hidden copy).
    const panel = (phone ? page.getByTestId("properties-drawer") : page).getByTestId("side-panel");
    // The ticket page loads its sidebar panels one by one; the machine may be busy.
    await expect(panel).toBeVisible({ timeout: 45_000 });
    await panel.getByRole("button", { name: "New side conversation" }).click();
    const to = panel.getByRole("combobox", { name: "To" });
    await to.fill("dispatch@courier.example");
    await to.press("Enter");
    const sideSubject = unique("Parcel 4471 for Mai Tran");
    await panel.getByLabel("Subject").fill(sideSubject);
    await panel.getByLabel("Message").fill("Hello, where is parcel 4471? The customer is waiting.");
    if (phone) {
      await expectNoSidewaysScroll(page, "side conversation form");
      await screenshot(page, testInfo, "sideconv-form-phone-en");
    }
    await panel.getByTestId("side-send").click();
    const side = panel.getByTestId("side-conversation").filter({ hasText: sideSubject });
    await expect(side).toBeVisible();

    // It leaves through the mailbox's SMTP server, with a reply-to of its own.
    const toCourier = () =>
      capture.received.find(
        (m) => m.envelope.to.includes("dispatch@courier.example") && m.mail.subject === sideSubject,
      );
    await expect.poll(() => toCourier() !== undefined, { timeout: 60_000 }).toBe(true);
    const out = toCourier();
    expect(out?.mail.subject).toBe(sideSubject);
    const replyTo = out?.mail.replyTo?.value[0]?.address ?? "";
    expect(replyTo).toMatch(/^desk-.*\+s[a-z0-9]{24}@e2e-side\.test$/);
    const messageId = out?.mail.messageId ?? "";
    expect(messageId).toMatch(/^<.+@.+>$/);
    expect(out?.raw.toString("utf8")).not.toContain("mai@customer.e2e");

    await side.getByRole("button").first().click();
    await expect(side.getByTestId("side-message-out")).toContainText("where is parcel 4471");

    // The courier answers by email; the reply appears in the side conversation on the open page.
    await send({
      from: '"Courier Dispatch" <dispatch@courier.example>',
      to: replyTo,
      subject: `Re: ${sideSubject}`,
      inReplyTo: messageId,
      references: [messageId],
      text: "It is at the depot, delivery tomorrow morning.",
    });
    await expect(side.getByTestId("side-message-in")).toContainText("delivery tomorrow morning", {
      timeout: 60_000,
    });
    await expect(side.getByTestId("side-message-in")).toContainText("dispatch@courier.example");
    // Reloaded with the reply: the agent's message shows as sent.
    await expect(side.getByTestId("side-message-out")).toContainText("sent");

    // Not in the customer's thread, and no new ticket.
    await expect(page.locator("article").filter({ hasText: "delivery tomorrow morning" })).toHaveCount(0);
    const thread = await api.get<{ items: Array<{ bodyText: string | null }> }>(
      `/tickets/${ticket?.id}/messages`,
    );
    expect(thread.items.map((m) => m.bodyText ?? "").join("\n")).not.toContain("delivery tomorrow");
    expect((await api.get<{ items: TicketRow[] }>("/tickets?limit=100")).items.length).toBe(ticketsBefore);

    if (phone) await expectNoSidewaysScroll(page, "side conversation with the reply");
    await screenshot(page, testInfo, `sideconv-${tag}`);
    await checkA11y(page, testInfo, `sideconv-${tag}`);
    await page.context().close();
    await api.dispose();
  });
