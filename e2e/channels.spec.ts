import { expect, test } from "@playwright/test";
import formsVi from "../apps/web/src/features/forms/locales/vi.ts";
import phoneEn from "../apps/web/src/features/phone/locales/en.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

/**
 * Channels in the real UI: a visitor sends the public form (in the browser's language) and the
 * agent sees the web ticket; an agent logs a call on a ticket (thread card, dossier timeline);
 * the call-back queue shows a requested call-back and the agent logs "no answer" with a retry.
 */

async function setup(url: string) {
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const agent = await createAgent(admin);
  const api = await Api.login(url, agent.email, agent.password);
  return { admin, agent, api };
}

test("a visitor fills /support/new and the agent sees the web ticket", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { agent, api } = await setup(url);
  const subject = `Không nhận được mã OTP ${unique("f")}`;
  const visitor = await browser.newContext({ locale: "vi-VN" });
  const page = await visitor.newPage();
  // A customer's page asks nothing it is refused (no `401 /me`) and finds its icon (no 404).
  const refused: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.goto("/support/new");
  await expect(page.getByRole("heading", { name: formsVi["forms.title"] })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(refused).toEqual([]);
  expect((await page.request.get("/favicon.svg")).status()).toBe(200);
  await page.getByLabel(formsVi["forms.name"]).fill("Phạm Thu Trang");
  await page.getByLabel(formsVi["forms.email"]).fill(`${unique("trang")}@example.vn`);
  await page.getByLabel(formsVi["forms.subject"]).fill(subject);
  await page
    .getByLabel(formsVi["forms.message"])
    .fill("Tôi bấm gửi mã nhưng không nhận được tin nhắn. <script>x</script>");
  await checkA11y(page, testInfo, "support-form-vi");
  await screenshot(page, testInfo, "channels-support-form-vi");
  // A person takes more than the 3 s minimum to fill the form.
  await page.waitForTimeout(3200);
  await page.getByRole("button", { name: formsVi["forms.send"] }).click();
  const sent = page.getByTestId("form-sent");
  await expect(sent).toBeVisible();
  const number = Number(/#(\d+)/.exec((await sent.textContent()) ?? "")?.[1]);
  expect(number).toBeGreaterThan(0);
  await screenshot(page, testInfo, "channels-support-form-sent");

  const embed = await visitor.newPage();
  await embed.goto("/support/new?embed=1&lang=en");
  await expect(embed.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(embed.getByRole("heading", { name: "Contact support" })).toHaveCount(0);
  await visitor.close();

  const list = await api.get<{ items: Array<{ id: string; number: number; channel: string }> }>(
    "/tickets?channel=web&limit=50",
  );
  const ticket = list.items.find((t) => t.number === number);
  expect(ticket?.channel).toBe("web");
  const agentPage = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket?.id}`);
  await expect(agentPage.getByText(subject).first()).toBeVisible();
  await expect(
    agentPage.getByText("Tôi bấm gửi mã nhưng không nhận được tin nhắn.", { exact: false }),
  ).toBeVisible();
  await agentPage.context().close();
});

test("an agent logs a call: it shows in the thread and on the customer's timeline", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { agent, api } = await setup(url);
  const ticket = await api.send<{ id: string; requester: { id: string } }>("POST", "/tickets", {
    subject: "Router keeps rebooting",
    requester: { email: `${unique("call")}@example.test`, name: "Sok Dara" },
    message: { body: "It restarts every hour." },
  });
  const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket.id}`);
  const panel = page.getByTestId("phone-panel");
  await panel.getByRole("button", { name: phoneEn["phone.log.action"] }).click();
  const form = page.getByTestId("log-call-form");
  await form.getByLabel(phoneEn["phone.number"]).fill("+855 12 345 678");
  await form.getByLabel(phoneEn["phone.minutes"]).fill("4");
  await form.getByLabel(phoneEn["phone.notes"]).fill("Walked through a firmware update");
  await form.getByRole("button", { name: phoneEn["phone.log.save"] }).click();
  const card = page.getByTestId("call-card");
  await expect(card).toBeVisible();
  await expect(card).toContainText("+85512345678");
  await expect(card).toContainText(phoneEn["phone.outcome.answered"]);
  await screenshot(page, testInfo, "channels-call-in-thread");

  await page.goto(`/contacts/${ticket.requester.id}`);
  // The call itself (kind "call"), beside the thread message that shows it.
  const call = page.locator('[data-testid="timeline-item"][data-kind="call"]').filter({
    hasText: "Walked through a firmware update",
  });
  await expect(call).toBeVisible();
  await screenshot(page, testInfo, "channels-call-on-timeline");
  await page.context().close();
});

test("the call-back queue shows a requested call-back; the agent logs no answer with a retry time", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { agent, api } = await setup(url);
  const phone = `+8490${String(Date.now()).slice(-7)}`;
  await api.send("POST", "/phone/callbacks", {
    name: "Võ Minh Khoa",
    phone,
    topic: "Question about the invoice",
    windowStart: new Date(Date.now() + 60_000).toISOString(),
    windowEnd: new Date(Date.now() + 2 * 3600_000).toISOString(),
    assigneeId: agent.id,
  });
  const page = await newSignedInPage(browser, agent.email, agent.password, "/callbacks");
  await expect(page.getByRole("heading", { name: phoneEn["phone.queue.title"] })).toBeVisible();
  const row = page.getByTestId("callback-row").filter({ hasText: phone });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Question about the invoice");
  await checkA11y(page, testInfo, "callback-queue");
  await row.getByRole("button", { name: phoneEn["phone.cb.logOutcome"] }).click();
  const form = page.getByTestId("outcome-form");
  await form.getByLabel(phoneEn["phone.outcome"]).click();
  await page.getByRole("option", { name: phoneEn["phone.cb.outcome.no_answer"] }).click();
  await expect(form.getByLabel(phoneEn["phone.cb.retryAt"])).toBeVisible();
  await form.getByRole("button", { name: phoneEn["phone.cb.saveOutcome"] }).click();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText(phoneEn["phone.cb.outcome.no_answer"]);
  await expect(row).toContainText("1 attempts");
  await screenshot(page, testInfo, "channels-callback-queue");
  const cbs = await api.get<{
    items: Array<{ phone: string; attempts: number; status: string; dueAt: string }>;
  }>("/phone/callbacks?assignee=me");
  const cb = cbs.items.find((c) => c.phone === phone);
  expect(cb).toMatchObject({ attempts: 1, status: "open" });
  expect(new Date(cb?.dueAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  await page.context().close();
});
