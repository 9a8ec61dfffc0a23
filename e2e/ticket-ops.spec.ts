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

  for (const locale of ["en", "vi", "km", "ta"] as const) {
    test(`merge a ticket and follow a custom view's live count (${locale})`, async ({
      browser,
    }, testInfo) => {
      const agent = await createAgent(admin, { teamIds: [teamId], locale });
      const email = `${unique("mai")}@example.test`;
      const target = await ticket(unique("Parcel late"), email);
      const source = await ticket(unique("Where is my parcel"), email);

      // Merge: from the source, pick the target among the customer's recent tickets.
      const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${source.id}`);
      // The one-time desktop-notification offer covers the bottom of the screen; a user answers it first.
      await page.getByRole("button", { name: /^(Not now|Để sau|ពេលក្រោយ|பிறகு)$/ }).click();
      await page
        .getByRole("button", { name: /Merge|Gộp|បញ្ចូល|இதனுடன் இணை/ })
        .first()
        .click();
      const dialog = page.getByRole("dialog");
      await dialog.getByTestId(`pick-${target.number}`).click();
      await checkA11y(page, testInfo, `merge-picker-${locale}`);
      await screenshot(page, testInfo, `ticket-ops-merge-picker-${locale}`);
      await dialog.getByRole("button", { name: /^(Merge|Gộp|បញ្ចូល|இணை)$/ }).click();
      await expect(page).toHaveURL(new RegExp(`/tickets/${target.id}$`));
      await expect(page.getByTestId(`linked-${source.number}`)).toBeVisible();
      // The thread names the merged ticket (the timeline's sentences name it too, in a list that
      // may be collapsed: the first visible mention counts).
      await expect(
        page.getByText(`#${source.number}`, { exact: false }).filter({ visible: true }).first(),
      ).toBeVisible();
      await page.goto(`/tickets/${source.id}`);
      await expect(page.getByTestId("merged-into")).toContainText(`#${target.number}`);

      // A custom view over a tag: created in the editor, its count pushed live.
      const tag = unique("vip").toLowerCase();
      await page.goto("/views/new");
      await page.locator("#view-name").fill(`VIP ${locale}`);
      await page.locator("#view-tags").fill(tag);
      await page.keyboard.press("Enter");
      await checkA11y(page, testInfo, `view-editor-${locale}`);
      await screenshot(page, testInfo, `ticket-ops-view-editor-${locale}`);
      await page.getByTestId("view-save").click();
      await expect(page.getByTestId("view-title")).toHaveText(`VIP ${locale}`);
      const viewId = page.url().split("/views/")[1] ?? "";
      const badge = page.getByTestId(`count-view:${viewId}`);
      await expect(badge).toHaveAttribute("data-count", "0");
      const fresh = await ticket(unique("VIP order"), email, [tag]);
      await expect(badge).toHaveAttribute("data-count", "1");
      await expect(page.getByTestId(`view-row-${fresh.number}`)).toBeVisible();
      await checkA11y(page, testInfo, `view-${locale}`);
      await screenshot(page, testInfo, `ticket-ops-view-${locale}`);
      await page.context().close();
    });
  }
});
