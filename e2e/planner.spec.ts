import { expect, type Page, test } from "@playwright/test";
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
 * The account manager's planner in the real UI: plan from the dossier, complete from Today
 * with the next date, drag a client between days on the Month board, and see a colleague's
 * plan while covering their absence. Agents work in UTC here so "today" is stable whatever
 * the hour of the run.
 */

type Planned = {
  id: string;
  date: string;
  status: string;
  contact: { id: string; name: string };
  outcome: string | null;
  time?: string | null;
  timeZone?: string | null;
};

function addDays(date: string, n: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function nextMonth(date: string) {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

async function setup(url: string) {
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const manager = await createAgent(admin);
  const colleague = await createAgent(admin);
  for (const u of [manager, colleague]) await admin.send("PATCH", `/users/${u.id}`, { timeZone: "UTC" });
  const asManager = await Api.login(url, manager.email, manager.password);
  const asColleague = await Api.login(url, colleague.email, colleague.password);
  const today = (await asManager.get<{ date: string }>("/planner/today")).date;
  return { admin, manager, colleague, asManager, asColleague, today };
}

async function newContact(api: Api, name: string) {
  return api.send<{ id: string; name: string }>("POST", "/contacts", {
    name,
    emails: [`${unique("c")}@example.test`],
  });
}

async function fillDate(page: Page, label: string | RegExp, value: string) {
  await page.getByLabel(label).fill(value);
}

test("plan a contact from the dossier, then complete it from Today with a next date", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { admin, manager, colleague, asManager, asColleague, today } = await setup(url);
  const client = await newContact(asManager, `Linh Tran ${unique("")}`);
  await asManager.send("POST", `/contacts/${client.id}/notes`, { body: "Prefers calls in the morning." });

  const page = await newSignedInPage(browser, manager.email, manager.password, `/contacts/${client.id}`);
  await expect(page.getByTestId("dossier-name")).toHaveText(client.name);
  await expect(page.getByTestId("next-contact")).toContainText("Nothing planned.");
  await expect(page.getByTestId("timeline-item").first()).toContainText("Prefers calls in the morning.");

  // Plan the next contact for today from the dossier's quick action.
  await page.getByRole("button", { name: "Plan the next contact" }).click();
  const dialog = page.getByRole("dialog");
  await fillDate(page, "Date", today);
  // A time in the customer's zone.
  await dialog.getByLabel("Time (optional)").fill("10:30");
  await dialog.getByLabel("Time zone").fill("Asia/Phnom");
  await page.getByRole("option", { name: "Asia/Phnom_Penh" }).click();
  await dialog.getByLabel("Purpose").fill("Renewal of the yearly plan");
  await dialog.getByLabel("Notes for the call").fill("Ask about the new branch office.");
  await dialog.getByRole("button", { name: "Plan the contact" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("next-contact")).toContainText("Renewal of the yearly plan");
  // The plan shows on the timeline too.
  await expect(page.locator('[data-testid="timeline-item"][data-kind="planned_contact"]')).toContainText(
    "Renewal of the yearly plan",
  );
  await checkA11y(page, testInfo, "dossier");
  await screenshot(page, testInfo, "dossier-en");

  const planned = await asManager.get<{ items: Planned[] }>("/planner/today");
  expect(planned.items.map((i) => i.contact.id)).toEqual([client.id]);
  expect(planned.items[0]).toMatchObject({
    time: expect.stringMatching(/^10:30/),
    timeZone: "Asia/Phnom_Penh",
  });

  // Today: the client is listed, the dossier is one click away, and completing files the next date.
  await page.goto("/planner/today");
  const item = page.getByTestId("today-item").filter({ hasText: client.name });
  await expect(item).toContainText("Renewal of the yearly plan");
  await expect(item.getByRole("link", { name: client.name })).toHaveAttribute(
    "href",
    `/contacts/${client.id}`,
  );
  await checkA11y(page, testInfo, "planner-today");
  await screenshot(page, testInfo, "planner-today-en");

  await item.getByRole("button", { name: `Complete the contact with ${client.name}` }).click();
  const done = page.getByRole("dialog");
  await done
    .getByRole("textbox", { name: "Outcome" })
    .fill("Renewed for two years; wants a visit next week.");
  await done.getByLabel("In a week").check();
  await done.getByLabel("Purpose of the next contact").fill("Plan the visit");
  await checkA11y(page, testInfo, "planner-complete");
  await screenshot(page, testInfo, "planner-complete-en");
  await done.getByRole("button", { name: "Done — file the next contact" }).click();
  await expect(done.getByRole("status")).toContainText("Next contact on");
  await expect(page.getByTestId("today-item").filter({ hasText: client.name })).toHaveCount(0);
  await expect(page.getByTestId("today-empty")).toBeVisible();

  // The server has the outcome and the next contact a week later.
  const dossier = await asManager.get<{ lastContact: Planned; nextContact: Planned }>(
    `/contacts/${client.id}/dossier`,
  );
  expect(dossier.lastContact.outcome).toBe("Renewed for two years; wants a visit next week.");
  expect(dossier.lastContact.status).toBe("done");
  expect(dossier.nextContact.date).toBe(addDays(today, 7));

  // And the dossier shows both.
  await page.goto(`/contacts/${client.id}`);
  await expect(page.getByTestId("last-contact")).toContainText("Renewed for two years");
  await expect(page.getByTestId("next-contact")).toContainText("Plan the visit");

  await page.context().close();
  for (const a of [admin, asManager, asColleague]) await a.dispose();
  void colleague;
});

test("drag a client between days on the Month board, and move by bulk action", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { admin, manager, asManager, asColleague, today } = await setup(url);
  const month = nextMonth(today);
  const a = await newContact(asManager, `Board Alpha ${unique("")}`);
  const b = await newContact(asManager, `Board Beta ${unique("")}`);
  await asManager.send("PATCH", "/planner/settings", { capacityPerDay: 1, workDays: [0, 1, 2, 3, 4, 5, 6] });
  const pa = await asManager.send<Planned>("POST", "/planner/contacts", {
    contactId: a.id,
    date: `${month}-10`,
    purpose: "Quarterly review",
  });
  const pb = await asManager.send<Planned>("POST", "/planner/contacts", {
    contactId: b.id,
    date: `${month}-10`,
    purpose: "Upsell",
  });

  const page = await newSignedInPage(browser, manager.email, manager.password, "/planner/month");
  // The next month's tab carries its count until the month begins.
  const tab = page.getByTestId(`month-tab-${month}`);
  await expect(tab).toContainText("(2)");
  await tab.click();
  const day10 = page.getByTestId(`day-${month}-10`);
  const day14 = page.getByTestId(`day-${month}-14`);
  await expect(day10.getByTestId("board-card")).toHaveCount(2);
  // Two files on a day with capacity 1: overloaded.
  await expect(day10).toHaveAttribute("data-overloaded", "true");
  await expect(day10).toContainText("2/1");
  await checkA11y(page, testInfo, "planner-month");
  await screenshot(page, testInfo, "planner-month-en");

  // A real HTML5 drag of one card onto another day.
  await day10.locator(`[data-id="${pa.id}"]`).dragTo(day14);
  await expect(page.getByTestId("board-message")).toContainText("Moved 1");
  await expect(day14.getByTestId("board-card")).toHaveCount(1);
  await expect(day14).toContainText(a.name);
  await expect(day10.getByTestId("board-card")).toHaveCount(1);
  await expect(day10).toHaveAttribute("data-overloaded", "false");
  const moved = await asManager.get<Planned>(`/planner/contacts/${pa.id}`);
  expect(moved.date).toBe(`${month}-14`);

  // Bulk: select both, move them to the 20th with the bulk bar.
  await page.getByRole("checkbox", { name: `Select ${a.name}` }).check();
  await page.getByRole("checkbox", { name: `Select ${b.name}` }).check();
  await expect(page.getByTestId("bulk-bar")).toContainText("Selected: 2");
  await page.getByLabel("Move to").fill(`${month}-20`);
  await page.getByRole("button", { name: "Move selected" }).click();
  await expect(page.getByTestId(`day-${month}-20`).getByTestId("board-card")).toHaveCount(2);
  for (const id of [pa.id, pb.id])
    expect((await asManager.get<Planned>(`/planner/contacts/${id}`)).date).toBe(`${month}-20`);

  // "Spread this day": the surplus over capacity 1 moves to the next day with room.
  await page.getByRole("button", { name: /^Spread / }).click();
  await expect(page.getByTestId("board-message")).toContainText("Moved 1");
  await expect(page.getByTestId(`day-${month}-20`).getByTestId("board-card")).toHaveCount(1);
  await expect(page.getByTestId(`day-${month}-21`).getByTestId("board-card")).toHaveCount(1);

  await page.context().close();
  for (const x of [admin, asManager, asColleague]) await x.dispose();
});

test("the covering agent sees the absent colleague's plan; a manager sees every agent's", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  const { admin, manager, colleague, asManager, asColleague, today } = await setup(url);
  const client = await newContact(asManager, `Covered Client ${unique("")}`);
  await asManager.send("POST", "/planner/contacts", {
    contactId: client.id,
    date: today,
    purpose: "Contract questions",
  });

  // Before the absence the colleague sees nothing of it.
  const other = await newSignedInPage(browser, colleague.email, colleague.password, "/planner/today");
  await expect(other.getByTestId("today-empty")).toBeVisible();
  await expect(other.getByText(client.name)).toHaveCount(0);

  // The account manager records an absence from today with the colleague covering.
  const page = await newSignedInPage(browser, manager.email, manager.password, "/planner/absences");
  await page.getByLabel("Covering colleague").selectOption(colleague.id);
  await fillDate(page, "First day", today);
  await fillDate(page, "Last day", addDays(today, 2));
  await page.getByLabel("Note").fill("Training course");
  await page.getByRole("button", { name: "Record the absence" }).click();
  await expect(page.getByTestId("absences-table")).toContainText(colleague.name);
  await checkA11y(page, testInfo, "planner-absences");
  await screenshot(page, testInfo, "planner-absences-en");

  // The handover job runs at the start of the first day (now): the absence becomes active.
  await expect
    .poll(
      async () =>
        (await asColleague.get<{ items: { status: string }[] }>("/planner/absences")).items[0]?.status,
    )
    .toBe("active");

  await other.goto("/planner/absences");
  await expect(other.getByTestId("covering-now")).toContainText(manager.name);
  await other.getByRole("link", { name: `See ${manager.name}'s plan` }).click();
  await expect(other).toHaveURL(new RegExp(`/planner/today\\?agent=${manager.id}`));
  const covered = other.getByTestId("today-item").filter({ hasText: client.name });
  await expect(covered).toContainText("Contract questions");
  await expect(covered.getByTestId("covering-badge")).toContainText(`Covering for ${manager.name}`);
  await expect(other.getByTestId("agent-picker")).toHaveValue(manager.id);
  await checkA11y(other, testInfo, "planner-today-covering");
  await screenshot(other, testInfo, "planner-today-covering-en");
  // The colleague's month board, as the covering agent: only the files handed over.
  await other.goto(`/planner/month?agent=${manager.id}`);
  await expect(other.getByTestId(`day-${today}`).getByTestId("board-card")).toHaveCount(1);
  await expect(other.getByTestId(`day-${today}`)).toContainText(client.name);
  await other.goto(`/planner/today?agent=${manager.id}`);
  // The dossier is one click away for the covering agent too.
  await covered.getByRole("link", { name: client.name }).click();
  await expect(other.getByTestId("dossier-name")).toHaveText(client.name);
  await expect(other.getByTestId("next-contact")).toContainText("Contract questions");

  // An administrator picks any agent's plan.
  const boss = await newSignedInPage(
    browser,
    ADMIN.email,
    ADMIN.password,
    `/planner/today?agent=${manager.id}`,
  );
  await expect(boss.getByTestId("today-item").filter({ hasText: client.name })).toBeVisible();
  await expect(boss.getByTestId("agent-picker")).toHaveValue(manager.id);

  for (const p of [page, other, boss]) await p.context().close();
  for (const x of [admin, asManager, asColleague]) await x.dispose();
});

test("planner settings: capacity and the private calendar feed", async ({ browser, baseURL }, testInfo) => {
  const url = baseURL ?? "";
  const { admin, manager, asManager, asColleague } = await setup(url);
  const page = await newSignedInPage(browser, manager.email, manager.password, "/planner/settings");
  await expect(page.getByTestId("feed-state")).toHaveText("No feed address yet.");
  await page.getByLabel("Contacts per day").fill("5");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  expect((await asManager.get<{ capacityPerDay: number }>("/planner/settings")).capacityPerDay).toBe(5);

  await page.getByRole("button", { name: "Create the address" }).click();
  const feedUrl = (await page.getByTestId("feed-url").textContent()) ?? "";
  expect(feedUrl).toMatch(/\/api\/v1\/planner\/ical\/[A-Za-z0-9_-]+\.ics$/);
  const feed = await page.request.get(feedUrl);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");
  await checkA11y(page, testInfo, "planner-settings");
  await screenshot(page, testInfo, "planner-settings-en");

  await page.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("feed-state")).toHaveText("No feed address yet.");
  expect((await page.request.get(feedUrl)).status()).toBe(404);

  await page.context().close();
  for (const x of [admin, asManager, asColleague]) await x.dispose();
});
