import { expect, test } from "@playwright/test";
import { ADMIN, Api, createAgent, ensureSetup, newSignedInPage, unique } from "./helpers.ts";

test("an agent cannot open another team's ticket by URL, but can open their own team's", async ({
  browser,
  baseURL,
}) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const billing = await admin.send<{ id: string }>("POST", "/teams", { name: unique("Billing") });
  const support = await admin.send<{ id: string }>("POST", "/teams", { name: unique("Support") });
  const agent = await createAgent(admin, { teamIds: [support.id] });
  const hidden = await admin.send<{ id: string }>("POST", "/tickets", {
    subject: "Secret billing dispute",
    requester: { email: "vip@example.test" },
    message: { body: "Only billing may read this." },
    teamId: billing.id,
  });
  const visible = await admin.send<{ id: string }>("POST", "/tickets", {
    subject: "Support question",
    requester: { email: "normal@example.test" },
    message: { body: "Support may read this." },
    teamId: support.id,
  });

  const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${hidden.id}`);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByText("Secret billing dispute")).toHaveCount(0);
  await expect(page.getByText("Only billing may read this.")).toHaveCount(0);

  await page.goto(`/tickets/${visible.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Support question");

  // Neither does the team view, the search or the inbox list show it.
  await page.goto(`/inbox/team:${billing.id}`);
  await expect(page.getByText("Secret billing dispute")).toHaveCount(0);
  await page.goto("/search?q=billing%20dispute");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Secret billing dispute")).toHaveCount(0);

  await page.context().close();
  await admin.dispose();
});
