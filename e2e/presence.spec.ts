import { expect, test } from "@playwright/test";
import { ADMIN, Api, createAgent, ensureSetup, newSignedInPage } from "./helpers.ts";

test("two agents on the same ticket see each other viewing and typing", async ({ browser, baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const a = await createAgent(admin);
  const b = await createAgent(admin);
  const ticket = await admin.send<{ id: string }>("POST", "/tickets", {
    subject: "Two agents, one ticket",
    requester: { email: "presence@example.test", name: "Presence Customer" },
    message: { body: "Who will answer me?" },
  });

  const pageA = await newSignedInPage(browser, a.email, a.password, `/tickets/${ticket.id}`);
  const pageB = await newSignedInPage(browser, b.email, b.password, `/tickets/${ticket.id}`);
  await expect(pageA.getByRole("heading", { level: 1 })).toContainText("Two agents, one ticket");
  await expect(pageB.getByRole("heading", { level: 1 })).toContainText("Two agents, one ticket");

  await expect(pageA.getByTestId("presence")).toContainText(`${b.name} is viewing`);
  await expect(pageB.getByTestId("presence")).toContainText(`${a.name} is viewing`);

  // B types: A sees it (collision detection before two replies go out).
  await pageB.getByTestId("reply-body").fill("I am on it");
  await expect(pageA.getByTestId("presence")).toContainText(`${b.name} is typing…`);

  // B leaves: A no longer sees B.
  await pageB.goto("/inbox/all_open");
  await expect(pageA.getByTestId("presence")).toHaveCount(0);

  await pageA.context().close();
  await pageB.context().close();
  await admin.dispose();
});
