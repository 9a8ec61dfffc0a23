import { expect, test } from "@playwright/test";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  expectNoSidewaysScroll,
  LOCALES,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

/** Ticket merge, a custom view with its live count (issue 14), in the four languages. */
test.describe("ticket operations", () => {
  let admin: Api;
  let teamId: string;

  test.beforeAll(async ({ baseURL }) => {
    await ensureSetup(baseURL ?? "");
    admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
    teamId = (await admin.send<{ id: string }>("POST", "/teams", { name: unique("Ops") })).id;
  });
  test.afterAll(async () => {
    await admin?.dispose();
  });

  const ticket = (subject: string, email: string, tags: string[] = []) =>
    admin.send<{ id: string; number: number }>("POST", "/tickets", {
      subject,
      requester: { email, name: "Mai Tran" },
      message: { body: `${subject}: please help` },
      teamId,
      tags,
    });

  for (const locale of LOCALES)
    for (const phone of [false, true]) {
      const where = phone ? "phone 390×844" : "desktop";
      const tag = `${locale}${phone ? "-phone" : ""}`;
      test(`merge a ticket and follow a custom view's live count (${locale}, ${where})`, async ({
        browser,
      }, testInfo) => {
        test.setTimeout(180_000);
        const agent = await createAgent(admin, { teamIds: [teamId], locale });
        const email = `${unique("mai")}@example.test`;
        const target = await ticket(unique("Parcel late"), email);
        const source = await ticket(unique("Where is my parcel"), email);

        // Merge: from the source, pick the target among the customer's recent tickets.
        const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${source.id}`, {
          notificationOfferAnswered: true,
          phone,
        });
        // The first screen of a new context may take a while on a busy machine.
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 45_000 });
        await page
          .getByRole("button", { name: /Merge|Gộp|បញ្ចូល|இதனுடன் இணை/ })
          .first()
          .click();
        const dialog = page.getByRole("dialog");
        await dialog.getByTestId(`pick-${target.number}`).click();
        await checkA11y(page, testInfo, `merge-picker-${tag}`);
        await screenshot(page, testInfo, `ticket-ops-merge-picker-${tag}`);
        await dialog.getByRole("button", { name: /^(Merge|Gộp|បញ្ចូល|இணை)$/ }).click();
        await expect(page).toHaveURL(new RegExp(`/tickets/${target.id}$`));
        // On a phone the properties (with the linked tickets) are in a drawer; the page keeps a hidden copy.
        if (phone) await page.getByTestId("properties-button").click();
        const sidebar = phone ? page.getByTestId("properties-drawer") : page;
        await expect(sidebar.getByTestId(`linked-${source.number}`)).toBeVisible();
        if (phone) {
          await expectNoSidewaysScroll(page, "merged ticket's properties");
          await screenshot(page, testInfo, `ticket-ops-merged-properties-${tag}`);
          await page.locator(".mantine-Drawer-close").click();
          await expect(page.getByRole("dialog")).toBeHidden();
        }
        // The thread names the merged ticket (the timeline's sentences name it too, in a list that
        // may be collapsed: the first visible mention counts).
        await expect(
          page.getByText(`#${source.number}`, { exact: false }).filter({ visible: true }).first(),
        ).toBeVisible();
        await page.goto(`/tickets/${source.id}`);
        await expect(page.getByTestId("merged-into")).toContainText(`#${target.number}`);
        await expect(page.getByTestId("merged-into")).toBeInViewport();
        // Both tickets' state: the source closed, its message moved to the target.
        expect((await admin.get<{ status: string }>(`/tickets/${source.id}`)).status).toBe("closed");
        const moved = await admin.get<{ items: Array<{ bodyText: string | null }> }>(
          `/tickets/${target.id}/messages`,
        );
        expect(moved.items.map((m) => m.bodyText ?? "").join("\n")).toContain("Where is my parcel");
        await expectNoSidewaysScroll(page, "merged source ticket");
        await screenshot(page, testInfo, `ticket-ops-merged-source-${tag}`);
        await checkA11y(page, testInfo, `merged-source-${tag}`);

        // A custom view over a tag: created in the editor, its count pushed live.
        const vip = unique("vip").toLowerCase();
        await page.goto("/views/new");
        await page.locator("#view-name").fill(`VIP ${tag}`);
        await page.locator("#view-tags").fill(vip);
        await page.keyboard.press("Enter");
        await checkA11y(page, testInfo, `view-editor-${tag}`);
        await screenshot(page, testInfo, `ticket-ops-view-editor-${tag}`);
        await page.getByTestId("view-save").click();
        await expect(page.getByTestId("view-title")).toHaveText(`VIP ${tag}`);
        const viewId = page.url().split("/views/")[1] ?? "";
        // The count beside the view's name, and in the navigation (behind the menu on a phone).
        const badge = page.getByTestId(`count-view:${viewId}`);
        const onPage = page.getByTestId("view-count");
        await expect(onPage).toHaveAttribute("data-count", "0");
        if (!phone) await expect(badge).toHaveAttribute("data-count", "0");
        const fresh = await ticket(unique("VIP order"), email, [vip]);
        await expect(onPage).toHaveAttribute("data-count", "1");
        await expect(page.getByTestId(`view-row-${fresh.number}`)).toBeVisible();
        await expect(page.getByTestId(`view-row-${fresh.number}`).getByRole("link").first()).toBeInViewport();
        if (phone) {
          await expectNoSidewaysScroll(page, "custom view");
          await page.locator("header button.mantine-Burger-root").click();
        }
        await expect(badge).toHaveAttribute("data-count", "1");
        if (phone) await page.locator("header button.mantine-Burger-root").click();
        await checkA11y(page, testInfo, `view-${tag}`);
        await screenshot(page, testInfo, `ticket-ops-view-${tag}`);
        await page.context().close();
      });
    }
});
