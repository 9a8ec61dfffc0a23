import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import csatEn from "../apps/web/src/features/csat/locales/en.ts";
import en from "../apps/web/src/features/reports/locales/en.ts";
import km from "../apps/web/src/features/reports/locales/km.ts";
import ta from "../apps/web/src/features/reports/locales/ta.ts";
import vi from "../apps/web/src/features/reports/locales/vi.ts";
import appEn from "../apps/web/src/i18n/locales/en.ts";
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
 * The reports dashboard and the survey admin in the real UI: a manager filters by team, drills
 * down from a heatmap cell to its tickets, exports the tickets as CSV (content checked) and a
 * chart as PNG; an administrator saves the survey settings; an agent has no menu entry and the
 * server refuses the drill-down; screenshots in four languages on desktop and phone, with axe.
 */
test.describe("reports", () => {
  test.setTimeout(240_000);
  let teamId = "";
  let teamName = "";
  const subjects: string[] = [];
  /** The weekday (0 Sunday) and hour, in the organization's zone, when the tickets arrived. */
  let cell = { weekday: 0, hour: 0 };

  test.beforeAll(async ({ baseURL }) => {
    const url = baseURL ?? "";
    await ensureSetup(url);
    const admin = await Api.login(url, ADMIN.email, ADMIN.password);
    teamName = unique("Care team");
    teamId = (await admin.send<{ id: string }>("POST", "/teams", { name: teamName })).id;
    const zone = (await admin.get<{ timeZone: string }>("/settings")).timeZone;
    for (const channel of ["chat", "email", "chat"]) {
      const subject = unique(channel === "chat" ? "Order late" : "=HYPERLINK(x)");
      subjects.push(subject);
      await admin.send("POST", "/tickets", {
        subject,
        requester: { email: `${unique("c")}@example.test`, name: "Trần Thị Mai" },
        message: { body: "Where is my order?" },
        channel,
        teamId,
        // One urgent ticket, for the priority filter.
        ...(channel === "email" ? { priority: "urgent" } : {}),
      });
    }
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    }).formatToParts(new Date());
    const wd = parts.find((p) => p.type === "weekday")?.value ?? "Sun";
    cell = {
      weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(wd),
      hour: Number(parts.find((p) => p.type === "hour")?.value ?? 0),
    };
    await admin.dispose();
  });

  async function pickTeam(page: Page, label: string) {
    await page.getByTestId("reports-page").getByRole("combobox", { name: label, exact: true }).click();
    await page.getByRole("option", { name: teamName }).click();
    await expect(page).toHaveURL(new RegExp(`team=${teamId}`));
  }

  test("a manager filters, drills down from a heatmap cell, exports CSV and PNG", async ({
    browser,
    baseURL,
  }, testInfo) => {
    const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
    const manager = await createAgent(admin, { role: "manager" });
    await admin.dispose();
    const page = await newSignedInPage(browser, manager.email, manager.password, "/inbox/all_open");
    await page.getByTestId("nav").getByRole("link", { name: en["reports.nav"], exact: true }).click();
    await expect(page.getByRole("heading", { name: en["reports.title"], level: 1 })).toBeVisible({
      timeout: 60_000,
    });
    await pickTeam(page, en["reports.team"]);
    // The team's three new tickets, against none in the previous period.
    await expect(page.getByTestId("figure-created").getByTestId("value")).toHaveText("3");

    // The heatmap cell of now (organization's zone) lists exactly those tickets.
    const heat = page.getByTestId("card-heatmap");
    await heat.getByRole("switch", { name: en["reports.showTable"] }).check();
    const target = heat.getByTestId(`heat-${cell.weekday}-${cell.hour}`);
    await expect(target).toHaveText("3");
    await target.click();
    const drawer = page.getByRole("dialog");
    for (const s of subjects) await expect(drawer.getByRole("cell", { name: s })).toBeVisible();
    await expect(drawer.getByTestId("drill-count")).toHaveText("Tickets: 3");
    await checkA11y(page, testInfo, "reports-drilldown");

    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      drawer.getByRole("button", { name: en["reports.csv"] }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^reports-tickets-.*\.csv$/);
    const text = fs.readFileSync((await csv.path()) ?? "", "utf8");
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      [
        "Ticket",
        "Subject",
        "Channel",
        "Status",
        "Priority",
        "Team",
        "Agent",
        "Created",
        "First response at",
        "Solved at",
        "First response (s)",
        "Resolution (s)",
      ].join(","),
    );
    expect(lines).toHaveLength(4);
    for (const s of subjects.filter((x) => !x.startsWith("="))) expect(text).toContain(`,${s},`);
    // A subject that a spreadsheet would run as a formula is defused.
    expect(text).toContain(`,'${subjects[1]},email,`);
    expect(text).toContain(`,${teamName},`);
    await page.keyboard.press("Escape");

    // PNG of a chart: a real image from the chart's canvas.
    const series = page.getByTestId("card-timeseries");
    await expect(series.locator("[data-ready=true]")).toBeVisible();
    const [png] = await Promise.all([
      page.waitForEvent("download"),
      series.getByRole("button", { name: en["reports.png"] }).click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/^reports-timeseries-.*\.png$/);
    const bytes = fs.readFileSync((await png.path()) ?? "");
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(bytes.length).toBeGreaterThan(2000);

    // CSV of a chart's numbers: the heatmap's cells.
    const [heatCsv] = await Promise.all([
      page.waitForEvent("download"),
      heat.getByRole("button", { name: en["reports.csv"] }).click(),
    ]);
    const heatText = fs.readFileSync((await heatCsv.path()) ?? "", "utf8");
    expect(heatText).toContain("Weekday,Hour,Channel,Arrivals");
    expect(heatText).toMatch(new RegExp(`,${String(cell.hour).padStart(2, "0")}:00,chat,2\\r\\n`));

    // The Erlang C calculator: the example, 30 an hour, 300 s, 5 agents: 13.04 % wait.
    const erlang = page.getByTestId("erlang");
    await erlang.getByLabel(en["reports.erlang.agents"]).fill("5");
    await erlang.getByRole("button", { name: en["reports.erlang.calculate"] }).click();
    await expect(erlang.getByTestId("erlang-result")).toContainText("13.04%");

    // The priority filter: only the urgent ticket of the team.
    const filters = page.getByTestId("reports-page");
    await filters.getByRole("combobox", { name: en["reports.priority"], exact: true }).click();
    await page.getByRole("option", { name: appEn["priority.urgent"] }).click();
    await expect(page).toHaveURL(/priority=urgent/);
    await expect(page.getByTestId("figure-created").getByTestId("value")).toHaveText("1");
    await checkA11y(page, testInfo, "reports-dashboard");
  });

  for (const locale of Object.keys(CATALOGS) as Array<keyof typeof CATALOGS>) {
    const t = CATALOGS[locale];
    test(`dashboard in ${locale}, desktop and phone`, async ({ browser, baseURL }, testInfo) => {
      const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
      const manager = await createAgent(admin, { role: "manager", locale });
      await admin.dispose();
      const page = await newSignedInPage(browser, manager.email, manager.password, `/reports?team=${teamId}`);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      // The dashboard's chunk and the catalog load on a busy machine: generous for the work.
      await expect(page.getByRole("heading", { name: t["reports.title"], level: 1 })).toBeVisible({
        timeout: 60_000,
      });
      await expect(page.getByTestId("figure-created").getByTestId("value")).toHaveText(
        new Intl.NumberFormat(locale).format(3),
      );
      await expect(page.getByTestId("card-timeseries").locator("[data-ready=true]")).toBeVisible();
      await expect(page.getByTestId("card-heatmap").locator("[data-ready=true]")).toBeVisible();
      await screenshot(page, testInfo, `reports-dashboard-${locale}`);
      await page.setViewportSize(PHONE);
      await expect(page.getByRole("heading", { name: t["reports.title"], level: 1 })).toBeVisible();
      // Nothing wider than the phone's screen: the page does not scroll sideways (once the charts
      // have followed the new size: they resize from a resize observer, later on a busy machine).
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), { timeout: 30_000 })
        .toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, testInfo, `reports-dashboard-phone-${locale}`);
      if (locale === "ta") await checkA11y(page, testInfo, "reports-phone-ta");
    });
  }

  test("an agent has no menu entry and the server refuses the drill-down", async ({ browser, baseURL }) => {
    const admin = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
    const agent = await createAgent(admin, { teamIds: [teamId] });
    await admin.dispose();
    const page = await newSignedInPage(browser, agent.email, agent.password, "/inbox/all_open");
    await expect(page.getByTestId("nav")).toBeVisible();
    await expect(
      page.getByTestId("nav").getByRole("link", { name: en["reports.nav"], exact: true }),
    ).toHaveCount(0);
    await page.goto("/reports");
    await expect(page).toHaveURL(/\/inbox\//);
    const res = await page.request.get(`/api/v1/reports/tickets?teamId=${teamId}`);
    expect(res.status()).toBe(404);
  });

  test("an administrator saves the survey settings and a reason, and previews the survey", async ({
    browser,
    baseURL,
  }, testInfo) => {
    // The one-time desktop-notification offer would cover the bottom of the form: answered before.
    const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/surveys", {
      notificationOfferAnswered: true,
    });
    const admin = page.getByTestId("survey-admin");
    await admin.getByLabel(csatEn["csat.admin.scaleFive"]).check();
    await admin.getByLabel(csatEn["csat.admin.delay"]).fill("15");
    await admin.getByRole("button", { name: csatEn["csat.admin.save"], exact: true }).click();
    await expect(admin.getByRole("status")).toHaveText(csatEn["csat.admin.saved"]);
    const saved = await page.request.get("/api/v1/csat/settings");
    expect(await saved.json()).toMatchObject({ scale: "five", delayMinutes: 15 });

    const reason = unique("Too slow");
    await admin.getByRole("button", { name: csatEn["csat.admin.addReason"] }).click();
    const form = admin.getByTestId("reason-form");
    await form.getByLabel("Reason in English").fill(reason);
    await form.getByLabel("Reason in Tiếng Việt").fill("Quá chậm");
    await form.getByRole("button", { name: csatEn["csat.admin.saveReason"] }).click();
    await expect(admin.getByTestId("csat-reasons")).toContainText(`${reason} · Quá chậm`);

    // Preview in Tamil, on the five-point scale.
    const preview = admin.getByTestId("survey-preview");
    await preview.getByText("தமிழ்").click();
    await expect(preview.locator("div[lang=ta]")).toBeVisible();
    await expect(preview.locator("div[lang=ta] .mantine-Badge-root")).toHaveCount(5);
    await checkA11y(page, testInfo, "survey-admin");
    await screenshot(page, testInfo, "survey-admin-en");
    // Back to the defaults for the other suites.
    const api = await Api.login(baseURL ?? "", ADMIN.email, ADMIN.password);
    await api.send("PATCH", "/csat/settings", { scale: "good_bad", delayMinutes: 60 });
    await api.dispose();
  });
});
