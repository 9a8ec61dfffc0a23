import { expect, test } from "@playwright/test";
import en from "../apps/web/src/i18n/locales/en.ts";
import km from "../apps/web/src/i18n/locales/km.ts";
import ta from "../apps/web/src/i18n/locales/ta.ts";
import vi from "../apps/web/src/i18n/locales/vi.ts";
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

/**
 * Issue 14: a contact's name typed in the header's search box finds that contact and the
 * contact's tickets (whose subjects and bodies do not carry the name), the contact's group first;
 * in the four languages, on the desktop and on a phone.
 */
const T = { en, vi, km, ta } as const;
/** A customer's name in each language's script; Vietnamese is searched without its diacritics. */
const NAMES = {
  en: { name: "Margaret Okonkwo", typed: "margaret okonkwo" },
  vi: { name: "Đặng Thị Phượng", typed: "dang thi phuong" },
  km: { name: "សុខ ចាន់ធី", typed: "សុខ ចាន់ធី" },
  ta: { name: "கவிதா சுப்பிரமணியம்", typed: "கவிதா சுப்பிரமணியம்" },
} as const;

let admin: Api;

test.beforeAll(async ({ baseURL }) => {
  await ensureSetup(baseURL ?? "");
  admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
});
test.afterAll(async () => {
  await admin?.dispose();
});

for (const locale of LOCALES) {
  for (const phone of [false, true]) {
    const where = phone ? "phone 390×844" : "desktop";
    test(`a contact's name finds the contact's tickets (${locale}, ${where})`, async ({
      browser,
    }, testInfo) => {
      // A page, a search and axe: well within a minute, more on a busy machine.
      test.setTimeout(180_000);
      const t = T[locale];
      // A word of letters only, so the name stays one the search reads as a name.
      const mark = unique("q")
        .replace(/[^a-z0-9]/g, "")
        .replace(/\d/g, (d) => "abcdefghij"[Number(d)] ?? "");
      const name = `${NAMES[locale].name} ${mark}`;
      const subject = unique("Parcel stuck at customs");
      const ticket = await admin.send<{ id: string; number: number }>("POST", "/tickets", {
        subject,
        requester: { email: `${unique("buyer")}@example.test`, name },
        message: { body: "The parcel has not moved for a week." },
      });
      const agent = await createAgent(admin, { locale });
      const page = await newSignedInPage(browser, agent.email, agent.password, "/inbox/all_open", {
        notificationOfferAnswered: true,
        phone,
      });
      // The inbox has loaded (a busy machine may take a while) before the agent types.
      await expect(page.getByTestId("loaded-count")).not.toHaveAttribute("data-loaded", "0", {
        timeout: 45_000,
      });
      const box = page.getByRole("searchbox", { name: t["search.label"] });
      await box.fill(`${NAMES[locale].typed} ${mark}`);
      await box.press("Enter");
      await expect(page).toHaveURL(/\/search\?q=/);
      const tickets = page.getByRole("region", { name: t["search.tickets"] });
      await expect(tickets.getByRole("link", { name: `#${ticket.number} ${subject}` })).toBeVisible();
      await expect(tickets).toContainText(name);
      await expect(page.getByRole("region", { name: t["search.contacts"] })).toContainText(name);
      // The contact itself is the best match; its tickets come right after it.
      await expect(page.getByTestId("search-groups")).toHaveAttribute("data-order", /^contacts,tickets/);
      await expectNoSidewaysScroll(page, "search results");
      const tag = `search-contact-name-${locale}-${phone ? "phone" : "desktop"}`;
      await screenshot(page, testInfo, tag);
      await checkA11y(page, testInfo, tag);
      await tickets.getByRole("link", { name: `#${ticket.number} ${subject}` }).click();
      await expect(page).toHaveURL(new RegExp(`/tickets/${ticket.id}$`));
      await page.context().close();
    });
  }
}
