import { expect, test } from "@playwright/test";
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
 * The notification centre in the real UI: an agent's bell counts a ticket assigned to them by
 * an admin without a reload (websocket push), the notice opens in the bell and is marked read,
 * in each of the four languages; at phone width the bell is in the navigation drawer.
 */

const LOCALES = ["en", "vi", "km", "ta"] as const;

test("an assignment notice appears in the bell without reload and is marked read, in four languages", async ({
  browser,
  baseURL,
}, testInfo) => {
  // Four languages, each a sign-in, a push and two screenshots: 90 s ran out at load 15.
  test.setTimeout(240_000);
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  for (const locale of LOCALES) {
    const agent = await createAgent(admin, { locale });
    const ticket = await admin.send<{ id: string; number: number }>("POST", "/tickets", {
      subject: `Parcel ${unique("late")}`,
      requester: { email: `${unique("c")}@example.test`, name: "Lan" },
      message: { body: "My parcel has not arrived." },
    });
    const page = await newSignedInPage(browser, agent.email, agent.password, "/inbox/mine");
    await page.waitForFunction(
      () =>
        (window as unknown as { __rapportRealtime?: { status: string } }).__rapportRealtime?.status ===
        "open",
    );
    const bell = page.getByTestId("bell");
    await expect(bell).toBeVisible();
    await expect(page.getByTestId("bell-count")).not.toContainText("1");

    // The admin assigns the ticket: the notice is pushed over the websocket, no reload.
    await admin.send("PATCH", `/tickets/${ticket.id}`, { assigneeId: agent.id });
    await expect(page.getByTestId("bell-count")).toContainText("1");

    await bell.click();
    const notice = page.getByTestId("notice").first();
    await expect(notice).toContainText(`#${ticket.number}`);
    await expect(notice).toHaveAttribute("data-unread", "true");
    await screenshot(page, testInfo, `notifications-bell-${locale}`);
    if (locale === "en") await checkA11y(page, testInfo, "notifications-bell");

    // Its "mark read" button (the other one opens the ticket).
    await notice.getByRole("button").last().click();
    await expect(notice).not.toHaveAttribute("data-unread", "true");
    await expect(page.getByTestId("bell-count")).not.toContainText("1");
    const agentApi = await Api.login(url, agent.email, agent.password);
    expect((await agentApi.get<{ unread: number }>("/notifications/unread-count")).unread).toBe(0);
    // At phone width the top bar's items (the bell among them) sit in the navigation drawer.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator("header button").first().click();
    await expect(page.getByTestId("bell")).toBeInViewport();
    await screenshot(page, testInfo, `notifications-phone-${locale}`);
    await Promise.all([agentApi.dispose(), page.context().close()]);
  }
  await admin.dispose();
});
