import { expect, type Page, test } from "@playwright/test";
import en from "../apps/web/src/features/compensations/locales/en.ts";
import km from "../apps/web/src/features/compensations/locales/km.ts";
import ta from "../apps/web/src/features/compensations/locales/ta.ts";
import vi from "../apps/web/src/features/compensations/locales/vi.ts";
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

const CATALOGS = { en, vi, km, ta } as const;
type Locale = keyof typeof CATALOGS;

/**
 * Compensation in the real UI: an agent grants compensation within their limit from the ticket
 * (a promise and a timeline entry), asks for more than the limit, a manager approves a lower
 * amount with a comment in the approval queue (beside the customer's value figures and history),
 * and the agent sees the decision on the ticket. The full journey in English; in Vietnamese,
 * Khmer and Tamil the grant form, its answer and the queue, each with axe.
 */
test.describe("compensation", () => {
  test.setTimeout(240_000);
  let admin: Api;
  let teamId = "";

  test.beforeAll(async ({ baseURL }) => {
    const url = baseURL ?? "";
    await ensureSetup(url);
    admin = await Api.login(url, ADMIN.email, ADMIN.password);
    teamId = (await admin.send<{ id: string }>("POST", "/teams", { name: unique("Care") })).id;
    // This team's agents: 50.00 USD per case, 200.00 per month; 500 loyalty points per case.
    // The rest of the configuration stays as it is (the PUT replaces the whole of it).
    const cur = await admin.get<{
      chain: string[];
      escalateAfterMinutes: number;
      unlimitedRoles: string[];
      promiseDueHours: number;
      kinds: Array<{ key: string; label: string; active: boolean; builtin: boolean }>;
      teamLeads: unknown[];
      limits: Array<Record<string, unknown>>;
    }>("/approval-limits");
    await admin.send("PUT", "/approval-limits", {
      chain: cur.chain,
      escalateAfterMinutes: cur.escalateAfterMinutes,
      unlimitedRoles: cur.unlimitedRoles,
      promiseDueHours: cur.promiseDueHours,
      kinds: cur.kinds
        .filter((k) => !k.builtin || !k.active)
        .map(({ key, label, active }) => ({ key, label, active })),
      teamLeads: cur.teamLeads,
      limits: [
        ...cur.limits,
        { scope: "team", scopeId: teamId, currency: "USD", perCaseMinor: 5000, perMonthMinor: 20000 },
        {
          scope: "team",
          scopeId: teamId,
          kind: "loyalty_points",
          currency: "PTS",
          perCaseMinor: 500,
          perMonthMinor: 2000,
        },
      ],
    });
  });

  async function ticketFor(agentId: string, language: Locale) {
    return admin.send<{ id: string; number: number }>("POST", "/tickets", {
      subject: unique("Broken kettle"),
      requester: { email: `${unique("c")}@example.test`, name: "Nguyễn Văn An" },
      message: { body: "The kettle arrived broken." },
      teamId,
      assigneeId: agentId,
      language,
    });
  }

  /** Opens the grant form on the ticket, fills it and submits; returns the answer's alert. */
  async function grantFromTicket(
    page: Page,
    t: (typeof CATALOGS)[Locale],
    o: { amount: string; reason: string; kind?: string },
  ) {
    const panel = page.getByTestId("ticket-compensation");
    await panel.getByRole("button", { name: t["compensations.action"] }).click();
    const dialog = page.getByRole("dialog");
    if (o.kind) await dialog.getByLabel(t["compensations.kindLabel"]).selectOption(o.kind);
    await dialog
      .getByLabel(o.kind === "loyalty_points" ? t["compensations.pointsLabel"] : t["compensations.amount"])
      .fill(o.amount);
    await dialog.getByLabel(t["compensations.reason"]).fill(o.reason);
    await dialog.getByRole("button", { name: t["compensations.grant"], exact: true }).click();
    const result = dialog.getByTestId("grant-result");
    await expect(result).toBeVisible();
    return { dialog, result };
  }

  test("grant within the limit, request above it, a manager approves less, the agent sees it", async ({
    browser,
  }, testInfo) => {
    const agent = await createAgent(admin, { teamIds: [teamId] });
    const manager = await createAgent(admin, { teamIds: [teamId], role: "manager" });
    const ticket = await ticketFor(agent.id, "en");
    const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket.id}`, {
      notificationOfferAnswered: true,
    });

    // Within the limit: granted at once, a promise to the customer and a timeline entry.
    const first = await grantFromTicket(page, en, { amount: "30", reason: "Kettle arrived broken" });
    await expect(first.result).toHaveText(en["compensations.grantedNow"]);
    await checkA11y(page, testInfo, "compensation-granted");
    await first.dialog.getByRole("button", { name: en["compensations.close"] }).last().click();
    const items = page.getByTestId("ticket-compensation").getByTestId("compensation-item");
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText(en["compensations.status.granted"]);
    await expect(items.first()).toContainText("$30.00");
    const granted = await admin.get<{ items: Array<{ status: string; promiseId: string | null }> }>(
      `/compensations?ticketId=${ticket.id}`,
    );
    expect(granted.items[0]).toMatchObject({ status: "granted" });
    expect(granted.items[0]?.promiseId).toBeTruthy();
    await page.reload();
    const changes = page.getByTestId("event-group").last();
    await changes.locator("summary").click();
    await expect(changes).toContainText(en["ticket.event.compensation_granted"]);

    // Loyalty points within the points limit: on the customer's account at once.
    const pts = await grantFromTicket(page, en, {
      kind: "loyalty_points",
      amount: "200",
      reason: "Sorry for the trouble",
    });
    await expect(pts.result).toHaveText(en["compensations.grantedPoints"]);
    await pts.dialog.getByRole("button", { name: en["compensations.close"] }).last().click();
    await expect(page.getByTestId("ticket-compensation")).toContainText("200 points");

    // Above the limit: an approval request.
    const second = await grantFromTicket(page, en, { amount: "120", reason: "Replacement is out of stock" });
    await expect(second.result).toHaveText(en["compensations.sentForApproval"]);
    await second.dialog.getByRole("button", { name: en["compensations.close"] }).last().click();
    await expect(items.first()).toContainText(en["compensations.status.pending_approval"]);

    // The manager's queue: the request with the customer's value figures and history.
    const m = await newSignedInPage(browser, manager.email, manager.password, "/approvals", {
      notificationOfferAnswered: true,
    });
    const card = m.getByTestId("approval-request").filter({ hasText: `#${ticket.number}` });
    await expect(card).toBeVisible();
    const figures = card.getByTestId("customer-value");
    await expect(figures).toContainText(en["compensations.segment"]);
    await expect(figures).toContainText(en["compensations.lifetime"]);
    await expect(figures).toContainText(en["compensations.noTier"]);
    await expect(card).toContainText(en["compensations.history"].replace("{{count}}", "2"));
    await screenshot(m, testInfo, "compensation-queue-en");
    await checkA11y(m, testInfo, "compensation-queue");
    await card.getByLabel(en["compensations.lowerAmount"].replace("{{currency}}", "USD")).fill("80");
    await card.getByLabel(en["compensations.comment"]).fill("Half now, half with the replacement");
    await card.getByRole("button", { name: en["compensations.approve"] }).click();
    await expect(card).toHaveCount(0);
    // A SegmentedControl: its radio input is visually hidden, a user clicks the label.
    await m
      .locator(".mantine-SegmentedControl-label")
      .filter({ hasText: new RegExp(`^${en["compensations.decided"]}$`) })
      .click();
    await expect(m.getByRole("radio", { name: en["compensations.decided"] })).toBeChecked();
    const decided = m.getByTestId("approval-request").filter({ hasText: `#${ticket.number}` });
    await expect(decided).toContainText(en["compensations.status.granted"]);
    await m.context().close();

    // The agent sees the decision on the ticket: granted 80 of the 120 asked, with the comment.
    await page.reload();
    const decidedItem = page
      .getByTestId("ticket-compensation")
      .getByTestId("compensation-item")
      .filter({ hasText: "Replacement is out of stock" });
    await expect(decidedItem).toContainText(en["compensations.status.granted"]);
    await expect(decidedItem).toContainText("$80.00");
    await expect(decidedItem).toContainText("Asked for $120.00");
    await expect(decidedItem).toContainText("Half now, half with the replacement");
    await screenshot(page, testInfo, "compensation-ticket-en");
    await page.context().close();
  });

  for (const locale of ["vi", "km", "ta"] as const) {
    const t = CATALOGS[locale];
    test(`grant form and approval queue in ${locale}`, async ({ browser }, testInfo) => {
      const agent = await createAgent(admin, { teamIds: [teamId], locale });
      const manager = await createAgent(admin, { teamIds: [teamId], role: "manager", locale });
      const ticket = await ticketFor(agent.id, locale);
      const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket.id}`, {
        notificationOfferAnswered: true,
      });
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      const ok = await grantFromTicket(page, t, { amount: "20", reason: "Giao hàng trễ" });
      await expect(ok.result).toHaveText(t["compensations.grantedNow"]);
      await screenshot(page, testInfo, `compensation-granted-${locale}`);
      await checkA11y(page, testInfo, `compensation-granted-${locale}`);
      await page.context().close();
      // Above the limit (through the API); the manager's queue in the same language.
      const agentApi = await Api.login(testInfo.project.use.baseURL ?? "", agent.email, agent.password);
      await agentApi.send("POST", "/compensations", {
        ticketId: ticket.id,
        kind: "refund",
        amountMinor: 9000,
        currency: "USD",
        reason: "Order lost",
      });
      await agentApi.dispose();
      const m = await newSignedInPage(browser, manager.email, manager.password, "/approvals", {
        notificationOfferAnswered: true,
      });
      const card = m.getByTestId("approval-request").filter({ hasText: `#${ticket.number}` });
      await expect(card.getByTestId("customer-value")).toContainText(t["compensations.segment"]);
      await expect(card.getByRole("button", { name: t["compensations.approve"] })).toBeVisible();
      await screenshot(m, testInfo, `compensation-queue-${locale}`);
      await checkA11y(m, testInfo, `compensation-queue-${locale}`);
      await m.context().close();
    });
  }
});
