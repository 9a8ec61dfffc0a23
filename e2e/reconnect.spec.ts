import { expect, test } from "@playwright/test";
import { ADMIN, Api, ensureSetup, signIn, unique } from "./helpers.ts";

type Rt = { stop: () => void; start: () => void };

test("after a dropped connection the inbox catches up on what it missed (resume)", async ({
  page,
  baseURL,
}) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  await signIn(page, ADMIN.email, ADMIN.password, "/inbox/unassigned");
  const status = page.getByTestId("realtime-status");
  await expect(status).toHaveAttribute("data-status", "open");
  // A second tab stays connected: once the ticket shows there, the server has pushed it.
  const online = await page.context().newPage();
  await online.goto("/inbox/unassigned");
  await expect(online.getByTestId("realtime-status")).toHaveAttribute("data-status", "open");
  const count = page.getByTestId("count-unassigned");
  await expect(count).toHaveAttribute("data-count", /\d+/);
  const before = Number(await count.getAttribute("data-count"));

  await page.evaluate(() => (window as unknown as { __rapportRealtime: Rt }).__rapportRealtime.stop());
  await expect(status).toHaveAttribute("data-status", "closed");
  const subject = unique("Missed while offline");
  const ticket = await admin.send<{ id: string }>("POST", "/tickets", {
    subject,
    requester: { email: "offline@example.test" },
    message: { body: "Sent while the agent's socket was down." },
  });
  const row = page.locator(`tr[data-ticket-id="${ticket.id}"]`);
  await expect(online.locator(`tr[data-ticket-id="${ticket.id}"]`)).toContainText(subject);
  await expect(row).toHaveCount(0);
  await online.close();

  await page.evaluate(() => (window as unknown as { __rapportRealtime: Rt }).__rapportRealtime.start());
  await expect(status).toHaveAttribute("data-status", "open");
  await expect(row).toContainText(subject);
  await expect(count).toHaveAttribute("data-count", String(before + 1));
  await admin.dispose();
});
