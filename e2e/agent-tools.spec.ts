import { type Browser, expect, type Page, test } from "@playwright/test";
import sideEn from "../apps/web/src/features/sideconv/locales/en.ts";
import sideKm from "../apps/web/src/features/sideconv/locales/km.ts";
import sideTa from "../apps/web/src/features/sideconv/locales/ta.ts";
import sideVi from "../apps/web/src/features/sideconv/locales/vi.ts";
import opsEn from "../apps/web/src/features/ticketops/locales/en.ts";
import opsKm from "../apps/web/src/features/ticketops/locales/km.ts";
import opsTa from "../apps/web/src/features/ticketops/locales/ta.ts";
import opsVi from "../apps/web/src/features/ticketops/locales/vi.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  expectNoSidewaysScroll,
  LOCALES,
  type Locale,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";

/**
 * The agent tools of issue 14 at both viewports and in the four languages: merge and link
 * pickers, splitting a message (done for real: the new ticket opens), a side conversation's
 * form, and the custom view editor. ticket-ops.spec.ts and sideconv.spec.ts walk the full
 * journeys on a desktop; this one checks that each tool's screen is translated, fits a phone
 * (390×844, no sideways scroll, its buttons on screen) and passes axe.
 */
const OPS = { en: opsEn, vi: opsVi, km: opsKm, ta: opsTa } as const;
const SIDE = { en: sideEn, vi: sideVi, km: sideKm, ta: sideTa } as const;

let admin: Api;
let teamId = "";

test.beforeAll(async ({ baseURL }) => {
  await ensureSetup(baseURL ?? "");
  admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
  teamId = (await admin.send<{ id: string }>("POST", "/teams", { name: unique("Tools") })).id;
});
test.afterAll(async () => {
  await admin?.dispose();
});

/** Raw translation keys left in the page (a missing string shows its key). */
async function expectNoRawKeys(page: Page, what: string) {
  const text = await page.locator("body").innerText();
  expect(text.match(/\b(ticketops|sideconv|customviews|views)\.[a-zA-Z]+\b/g) ?? [], what).toEqual([]);
}

async function openAs(browser: Browser, locale: Locale, phone: boolean, path: string) {
  const agent = await createAgent(admin, { teamIds: [teamId], locale, role: "admin" });
  return newSignedInPage(browser, agent.email, agent.password, path, {
    notificationOfferAnswered: true,
    phone,
  });
}

for (const locale of LOCALES) {
  // The phone in every language (translations, fit, axe); the desktop once (the desktop
  // journeys of ticket-ops.spec.ts run in every language already).
  for (const phone of locale === "en" ? [true, false] : [true]) {
    const where = phone ? "phone 390×844" : "desktop";
    test(`merge, link, split, side conversation and view editor in ${locale} (${where})`, async ({
      browser,
    }, testInfo) => {
      test.setTimeout(300_000);
      const ops = OPS[locale];
      const side = SIDE[locale];
      const email = `${unique("linh")}@example.test`;
      const mk = (subject: string, body: string) =>
        admin.send<{ id: string; number: number }>("POST", "/tickets", {
          subject,
          requester: { email, name: "Trần Thị Linh" },
          message: { body },
          teamId,
        });
      const other = await mk(unique("Đơn hàng bị trễ"), "Đơn hàng của tôi chưa tới");
      const ticket = await mk(unique("Hoàn tiền"), "Tôi muốn hoàn tiền cho đơn hàng");
      // A second message (a note) to split off: the only message of a ticket cannot be split.
      await admin.send("POST", `/tickets/${ticket.id}/messages`, {
        body: "Một câu hỏi khác: làm sao đổi địa chỉ giao hàng?",
        internal: true,
      });
      const page = await openAs(browser, locale, phone, `/tickets/${ticket.id}`);
      const tag = `${locale}-${phone ? "phone" : "desktop"}`;
      // The first screen of a new context may take a while on a busy machine.
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Hoàn tiền", { timeout: 45_000 });
      await expectNoSidewaysScroll(page, "ticket page");

      // Merge picker: the customer's other ticket is offered; the dialog fits the screen.
      await page.getByRole("button", { name: ops["ticketops.merge"] }).first().click();
      let dialog = page.getByRole("dialog", {
        name: ops["ticketops.mergeTitle"].replace("{{number}}", String(ticket.number)),
      });
      await expect(dialog.getByTestId(`pick-${other.number}`)).toBeVisible();
      await expect(dialog.getByRole("button", { name: ops["ticketops.cancel"] })).toBeInViewport();
      await expectNoSidewaysScroll(page, "merge picker");
      await expectNoRawKeys(page, "merge picker");
      await screenshot(page, testInfo, `agent-tools-merge-${tag}`);
      if (locale === "en" || phone) await checkA11y(page, testInfo, `agent-tools-merge-${tag}`);
      await dialog.getByRole("button", { name: ops["ticketops.cancel"] }).click();
      await expect(dialog).toBeHidden();

      // Link: done for real; the related ticket appears in the sidebar (in the drawer on a phone).
      await page.getByRole("button", { name: ops["ticketops.link"] }).first().click();
      dialog = page.getByRole("dialog", { name: ops["ticketops.linkTitle"] });
      await dialog.getByTestId(`pick-${other.number}`).click();
      await dialog.getByRole("button", { name: new RegExp(`^${ops["ticketops.linkAction"]}$`) }).click();
      await expect(dialog).toBeHidden();
      if (phone) await page.getByTestId("properties-button").click();
      const sidebar = phone ? page.getByRole("dialog") : page.locator("body");
      await expect(sidebar.getByTestId(`linked-${other.number}`)).toBeVisible();

      // A side conversation's form (sending is walked, over real SMTP, by sideconv.spec.ts).
      await sidebar.getByRole("button", { name: side["sideconv.new"] }).click();
      await expect(page.getByLabel(side["sideconv.to"]).first()).toBeVisible();
      await expect(page.getByTestId("side-send")).toBeVisible();
      await expectNoSidewaysScroll(page, "side conversation form");
      await expectNoRawKeys(page, "side conversation form");
      await screenshot(page, testInfo, `agent-tools-side-${tag}`);
      if (locale === "en" || phone) await checkA11y(page, testInfo, `agent-tools-side-${tag}`);
      await page.getByRole("button", { name: side["sideconv.cancel"] }).click();
      if (phone) {
        // Closed with its (named) close button: Escape also means "back to the list" in the app.
        await page.locator(".mantine-Drawer-close").click();
        await expect(page.getByRole("dialog")).toBeHidden();
      }

      // Split the second message into a new ticket: the new ticket opens.
      const split = page.getByRole("button", { name: ops["ticketops.split"] }).last();
      await split.scrollIntoViewIfNeeded();
      await split.click();
      dialog = page.getByRole("dialog", { name: ops["ticketops.splitTitle"] });
      await expect(dialog.getByText(ops["ticketops.splitBody"])).toBeVisible();
      await expectNoSidewaysScroll(page, "split dialog");
      await screenshot(page, testInfo, `agent-tools-split-${tag}`);
      await dialog.getByRole("button", { name: ops["ticketops.splitAction"] }).click();
      await expect(page).not.toHaveURL(new RegExp(`/tickets/${ticket.id}$`));
      await expect(page.locator("main")).toContainText("đổi địa chỉ giao hàng");
      await expectNoSidewaysScroll(page, "split ticket");

      // The custom view editor.
      await page.goto("/views/new");
      await expect(page.locator("#view-name")).toBeVisible();
      await expect(page.getByTestId("view-save")).toBeVisible();
      await expectNoSidewaysScroll(page, "view editor");
      await expectNoRawKeys(page, "view editor");
      await screenshot(page, testInfo, `agent-tools-view-editor-${tag}`);
      if (phone) await checkA11y(page, testInfo, `agent-tools-view-editor-${tag}`);
      await page.context().close();
    });
  }
}
