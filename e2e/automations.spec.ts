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
 * Automations in the real UI: an admin writes a macro, an agent applies it from the reply box
 * and sees its placeholders filled; an admin builds a trigger that tags new tickets; a ticket
 * passed around twice warns the next agent.
 */

type Ticket = { id: string; number: number; tags: string[]; priority: string };

/** On /admin/triggers: a trigger that adds `tag` when the subject contains `word`. */
async function addTagTrigger(page: Page, name: string, word: string, tag: string) {
  await page.getByLabel(/^Name/).first().fill(name);
  await page.locator('input[aria-label="Field"]').click();
  await page.getByRole("option", { name: "ticket.subject", exact: true }).click();
  await page.locator('input[aria-label="Operator"]').click();
  await page.getByRole("option", { name: "contains", exact: true }).click();
  await page.locator('input[aria-label="Value"]').fill(word);
  await page.locator('input[aria-label="Tags"]').fill(tag);
  await page.locator('input[aria-label="Tags"]').press("Enter");
  await page.keyboard.press("Escape");
  // Enter in a field submits the form (the Save button sits under the floating chat overlay).
  await page.getByLabel(/^Name/).first().press("Enter");
  await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
}

test("admin creates a macro; an agent applies it in the reply box with placeholders filled", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const agent = await createAgent(admin);
  const title = unique("Refund macro");

  const adminPage = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/macros");
  await adminPage
    .getByLabel(/^Title/)
    .first()
    .fill(title);
  await adminPage
    .getByLabel("Reply (English)")
    .fill(
      "Hello {{customer.first_name}}, ticket #{{ticket.number}} is refunded. We answer within {{promised_response_time}}. — {{agent.name}}",
    );
  await adminPage.getByLabel("Set priority").first().click();
  await adminPage
    .getByRole("listbox", { name: "Set priority" })
    .getByRole("option", { name: "High" })
    .click();
  await adminPage.getByRole("button", { name: "Save macro" }).click();
  await expect(adminPage.getByRole("cell", { name: title, exact: true })).toBeVisible();
  await screenshot(adminPage, testInfo, "automations-macro-admin");

  const ticket = await admin.send<Ticket>("POST", "/tickets", {
    subject: "Refund for a broken kettle",
    requester: { email: `${unique("jane")}@example.test`, name: "Jane <b>Doe</b>" },
    message: { body: "The kettle arrived broken, I would like a refund." },
  });
  const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Refund for a broken kettle");
  await page.getByRole("button", { name: "Macros" }).click();
  await page.getByLabel("Search macros").fill(title.slice(0, 12));
  await page
    .getByRole("listbox", { name: "Macros" })
    .getByRole("option", { name: new RegExp(title) })
    .click();
  const expected = `Hello Jane, ticket #${ticket.number} is refunded. We answer within 10 business hours. — ${agent.name}`;
  await expect(page.getByTestId("reply-body")).toHaveValue(expected);
  await screenshot(page, testInfo, "automations-macro-applied");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.locator("article[data-kind=agent]")).toContainText(expected);
  const after = await admin.get<Ticket>(`/tickets/${ticket.id}`);
  expect(after.priority).toBe("high");
  await Promise.all([admin.dispose(), adminPage.context().close(), page.context().close()]);
});

test("admin builds a trigger in the UI that tags new tickets", async ({ browser, baseURL }, testInfo) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const word = unique("kettle").toLowerCase();
  const tag = unique("billing").toLowerCase();
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/triggers");
  await addTagTrigger(page, `Tag ${word}`, word, tag);
  await screenshot(page, testInfo, "automations-trigger-admin");

  const tagged = await admin.send<Ticket>("POST", "/tickets", {
    subject: `My ${word} is broken`,
    requester: { email: `${unique("c")}@example.test` },
    message: { body: "Please help" },
  });
  expect(tagged.tags).toContain(tag);
  const other = await admin.send<Ticket>("POST", "/tickets", {
    subject: "Something else",
    requester: { email: `${unique("c")}@example.test` },
    message: { body: "Hi" },
  });
  expect(other.tags).not.toContain(tag);
  await page.goto(`/tickets/${tagged.id}`);
  // The timeline also names the tag, inside a collapsed "Changes" group: look for a shown one.
  await expect(page.getByText(tag).filter({ visible: true }).first()).toBeVisible();
  await Promise.all([admin.dispose(), page.context().close()]);
});

test("a ticket transferred twice warns the next agent", async ({ browser, baseURL }, testInfo) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const a = await createAgent(admin);
  const b = await createAgent(admin);
  const ticket = await admin.send<Ticket>("POST", "/tickets", {
    subject: "Where is my parcel?",
    requester: { email: `${unique("c")}@example.test` },
    message: { body: "Nobody answers me." },
    assigneeId: a.id,
  });
  await admin.send("POST", `/tickets/${ticket.id}/transfer`, {
    assigneeId: b.id,
    reason: "Shipping question",
  });
  const page = await newSignedInPage(browser, a.email, a.password, `/tickets/${ticket.id}`);
  await expect(page.getByText("Transferred 1×")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  // The agent hands it back through the sidebar, with a reason: the second transfer.
  await page.locator("input").and(page.getByLabel("To agent")).click();
  await page.getByRole("listbox", { name: "To agent" }).getByRole("option", { name: a.name }).click();
  await page
    .getByLabel(/^Reason/)
    .first()
    .fill("Customer asked for the first agent");
  await page.getByRole("button", { name: "Transfer with reason" }).click();
  const warning = page.getByRole("alert").filter({ hasText: "Runaround warning" });
  await expect(warning).toBeVisible();
  // The warning says it (the timeline's sentence for the transfer says it too).
  await expect(warning.getByText("transferred 2 times")).toBeVisible();
  await screenshot(page, testInfo, "automations-runaround");
  await checkA11y(page, testInfo, "automations-ticket");
  const notes = await admin.get<{ items: Array<{ kind: string; ticketId: string | null }> }>(
    "/notifications?kind=ticket.runaround",
  );
  expect(notes.items.some((n) => n.ticketId === ticket.id)).toBe(true);
  await Promise.all([admin.dispose(), page.context().close()]);
});

test("a manager opens the admin tabs they may change (routing, rules, macros, approval limits), and only those", async ({
  browser,
  baseURL,
}) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const manager = await createAgent(admin, { role: "manager" });
  const agent = await createAgent(admin);
  const page = await newSignedInPage(browser, manager.email, manager.password, "/inbox/mine");
  // The one-time desktop-notification offer sits over the bottom of the navigation; a user answers it first.
  await page.getByRole("button", { name: "Not now" }).click();
  const adminLink = page.getByRole("link", { name: "Administration" });
  await expect(adminLink).toHaveAttribute("href", "/admin/routing");
  await adminLink.click();
  await expect(page).toHaveURL(/\/admin\/routing$/);
  const tabs = page.getByRole("tab");
  await expect(tabs).toHaveText(["Routing", "Triggers", "Time rules", "Macros", "Approval limits"]);
  // An administrator's tab by address leads back to one the manager may open.
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/admin\/routing$/);
  await expect(page.getByRole("tab", { name: "Users" })).toHaveCount(0);
  // The manager builds a trigger there, as the server allows.
  const word = unique("toaster").toLowerCase();
  await page.getByRole("tab", { name: "Triggers" }).click();
  await addTagTrigger(page, `Manager ${word}`, word, unique("m").toLowerCase());
  const triggers = await admin.send<Array<{ name: string }>>("GET", "/triggers");
  expect(triggers.map((t) => t.name)).toContain(`Manager ${word}`);
  // An agent has no administration at all.
  const agentPage = await newSignedInPage(browser, agent.email, agent.password, "/admin/routing");
  await expect(agentPage).toHaveURL(/\/inbox\/mine$/);
  await expect(agentPage.getByRole("link", { name: "Administration" })).toHaveCount(0);
  await Promise.all([admin.dispose(), page.context().close(), agentPage.context().close()]);
});
