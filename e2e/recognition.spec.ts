import { expect, test } from "@playwright/test";
import en from "../apps/web/src/features/recognition/locales/en.ts";
import km from "../apps/web/src/features/recognition/locales/km.ts";
import ta from "../apps/web/src/features/recognition/locales/ta.ts";
import vi from "../apps/web/src/features/recognition/locales/vi.ts";
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
const PHONE = { width: 390, height: 844 };

/**
 * Recognition in the real UI: an administrator turns it on for a team in Admin → Recognition; a
 * manager sees the team's ranking; an agent sees only their own row (the board is private), in
 * four languages on desktop and phone, with axe.
 */
test.describe("recognition", () => {
  test.setTimeout(240_000);
  let teamId = "";
  let teamName = "";
  let admin: Api;

  test.beforeAll(async ({ baseURL }) => {
    const url = baseURL ?? "";
    await ensureSetup(url);
    admin = await Api.login(url, ADMIN.email, ADMIN.password);
    teamName = unique("Recognition team");
    teamId = (await admin.send<{ id: string }>("POST", "/teams", { name: teamName })).id;
  });

  /** A ticket of the team assigned to the agent, solved now. */
  async function solvedFor(agentId: string) {
    const t = await admin.send<{ id: string }>("POST", "/tickets", {
      subject: unique("Parcel late"),
      requester: { email: `${unique("c")}@example.test`, name: "Trần Thị Mai" },
      message: { body: "Where is my order?" },
      teamId,
      assigneeId: agentId,
    });
    await admin.send("PATCH", `/tickets/${t.id}`, { status: "solved" });
  }

  test("an administrator turns recognition on; a manager sees the ranking", async ({ browser }, testInfo) => {
    const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/recognition", {
      notificationOfferAnswered: true,
    });
    await page.getByRole("combobox", { name: en["recognition.team"], exact: true }).click();
    await page.getByRole("option", { name: teamName }).click();
    await page.getByLabel(en["recognition.admin.enabled"]).check();
    await page.getByLabel(en["recognition.admin.minSolved"]).fill("1");
    await page.getByRole("button", { name: en["recognition.admin.save"] }).click();
    await expect(page.getByText(en["recognition.admin.saved"])).toBeVisible();
    const settings = await admin.get<{ enabled: boolean; minSolved: number }>(
      `/recognition/teams/${teamId}/settings`,
    );
    expect(settings).toMatchObject({ enabled: true, minSolved: 1 });
    await checkA11y(page, testInfo, "recognition-admin");
    await page.context().close();

    const a = await createAgent(admin, { teamIds: [teamId] });
    await solvedFor(a.id);
    const manager = await createAgent(admin, { role: "manager" });
    const m = await newSignedInPage(browser, manager.email, manager.password, `/recognition?team=${teamId}`, {
      notificationOfferAnswered: true,
    });
    const board = m.getByTestId("recognition-board");
    await expect(board.getByRole("columnheader", { name: en["recognition.rank"] })).toBeVisible();
    await expect(board.getByText(a.name)).toBeVisible();
    await m.context().close();
  });

  for (const locale of Object.keys(CATALOGS) as Array<keyof typeof CATALOGS>) {
    const t = CATALOGS[locale];
    test(`an agent's private figures in ${locale}, desktop and phone`, async ({ browser }, testInfo) => {
      await admin.send("PATCH", `/recognition/teams/${teamId}/settings`, { enabled: true, minSolved: 1 });
      const agent = await createAgent(admin, { teamIds: [teamId], locale });
      await solvedFor(agent.id);
      const page = await newSignedInPage(
        browser,
        agent.email,
        agent.password,
        `/recognition?team=${teamId}`,
        {
          notificationOfferAnswered: true,
        },
      );
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { name: t["recognition.title"] })).toBeVisible();
      await expect(page.getByText(t["recognition.private"])).toBeVisible();
      const board = page.getByTestId("recognition-board");
      await expect(board.getByText(agent.name)).toBeVisible();
      await expect(board.getByRole("columnheader", { name: t["recognition.rank"] })).toHaveCount(0);
      await screenshot(page, testInfo, `recognition-${locale}`);
      await checkA11y(page, testInfo, `recognition-${locale}`);
      await page.setViewportSize(PHONE);
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
        .toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, testInfo, `recognition-${locale}-phone`);
      await page.context().close();
    });
  }
});
