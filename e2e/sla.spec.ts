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
 * SLA and promises in the real UI: the first-response countdown on the ticket and in the
 * inbox sorted by next due, recording a refund promise from the ticket's sidebar, and
 * solving the ticket asks for confirmation while that promise is open.
 */
test("SLA countdown, a recorded promise, and solving asks for confirmation", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const agent = await createAgent(admin);
  const subject = `Refund for order ${unique("o")}`;
  const ticket = await admin.send<{ id: string; number: number; nextDueAt: string | null }>(
    "POST",
    "/tickets",
    {
      subject,
      requester: { email: `${unique("c")}@example.test`, name: "Trần Thị Mai" },
      message: { body: "I was charged twice." },
      assigneeId: agent.id,
    },
  );
  expect(ticket.nextDueAt).not.toBeNull();

  const page = await newSignedInPage(
    browser,
    agent.email,
    agent.password,
    "/inbox/mine?sort=next_due&order=asc",
  );
  const row = page.getByRole("row").filter({ hasText: subject });
  await expect(row.getByTestId("sla-countdown")).toBeVisible();
  await expect(row.getByTestId("sla-countdown")).toContainText("due in");
  await screenshot(page, testInfo, "sla-inbox-en");

  await page.goto(`/tickets/${ticket.id}`);
  const header = page.getByRole("group", { name: "SLA" });
  await expect(header.getByTestId("sla-countdown")).toBeVisible();
  await expect(header).toContainText("First response");
  await expect(header).toContainText("internal goal");

  // Record a refund promise from the sidebar.
  await page.getByRole("button", { name: "Record a promise" }).click();
  await page.getByLabel("Promise", { exact: true }).selectOption("refund");
  await page.getByLabel("What was promised").fill("Refund the double charge");
  await page.getByLabel("Amount").fill("250000");
  await page.getByLabel("Currency").fill("VND");
  await page.getByRole("button", { name: "Save promise" }).click();
  const promise = page.getByTestId("promise-item").filter({ hasText: "Refund the double charge" });
  await expect(promise).toBeVisible();
  await expect(promise).toContainText("Refund");
  await expect(promise).toContainText("250,000");
  await screenshot(page, testInfo, "sla-ticket-en");
  await checkA11y(page, testInfo, "sla-ticket");

  // Solving asks first; the API refused nothing yet.
  await page.getByTestId("prop-status").selectOption("solved");
  const dialog = page.getByRole("dialog", { name: "Solve with open promises?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Refund");
  await screenshot(page, testInfo, "sla-solve-confirm-en");
  const before = await admin.get<{ status: string }>(`/tickets/${ticket.id}`);
  expect(before.status).not.toBe("solved");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await admin.get<{ status: string }>(`/tickets/${ticket.id}`)).status).toBe(before.status);

  // "Send and solve" from the reply box asks the same question before anything is sent;
  // cancelling keeps the draft, confirming sends the reply and solves in one step.
  const messagesNow = async () =>
    (await admin.get<{ items: unknown[] }>(`/tickets/${ticket.id}/messages`)).items.length;
  const sentBefore = await messagesNow();
  await page.getByLabel("Reply to the customer").fill("Your refund is on its way.");
  const sendAndSolve = async () => {
    await page.getByRole("button", { name: "Send and set status" }).click();
    await page.getByRole("menuitem", { name: "Send and set to Solved" }).click();
  };
  await sendAndSolve();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByLabel("Reply to the customer")).toHaveValue("Your refund is on its way.");
  expect(await messagesNow()).toBe(sentBefore);
  await sendAndSolve();
  await dialog.getByTestId("solve-confirm").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Your refund is on its way.")).toBeVisible();
  await expect(page.getByTestId("prop-status")).toHaveValue("solved");
  expect((await admin.get<{ status: string }>(`/tickets/${ticket.id}`)).status).toBe("solved");
  expect(await messagesNow()).toBe(sentBefore + 1);

  // The promise stays open on the agent's list.
  await page.goto("/promises");
  await expect(page.getByTestId("my-promises")).toContainText("Refund the double charge");
  await screenshot(page, testInfo, "sla-my-promises-en");
  await page.context().close();
  await admin.dispose();
});
