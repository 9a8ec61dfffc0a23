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
 * The tone check in the reply box: an agent types a negative phrase, sees it underlined with a
 * suggestion, takes the suggestion (the phrase is replaced) and sends; in each of the four
 * languages, with the ticket in that language. The sent reply counts as accepted in the report.
 */

const CASES = {
  en: { typed: "Hello Sam, I don't know when it ships.", phrase: "I don't know" },
  vi: { typed: "Dạ chào anh, em không biết khi nào hàng tới ạ.", phrase: "em không biết" },
  km: { typed: "សួស្តីបងខ្ញុំមិនដឹងទេថាពេលណាទំនិញមកដល់", phrase: "ខ្ញុំមិនដឹងទេ" },
  ta: { typed: "வணக்கம், எனக்குத் தெரியாது எப்போது வரும் என்று.", phrase: "எனக்குத் தெரியாது" },
} as const;

/** One administrator's API session for the whole file (set-up once, like the other specs). */
let admin: Api;
test.beforeAll(async ({ baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  admin = await Api.login(url, ADMIN.email, ADMIN.password);
});
test.afterAll(async () => {
  await admin?.dispose();
});

test("a negative phrase is underlined with a suggestion that replaces it, in four languages", async ({
  browser,
}, testInfo) => {
  for (const [locale, c] of Object.entries(CASES)) {
    const agent = await createAgent(admin, { locale });
    const ticket = await admin.send<{ id: string }>("POST", "/tickets", {
      subject: `Parcel ${unique("tone")}`,
      requester: { email: `${unique("c")}@example.test`, name: "Sam" },
      message: { body: "Where is my parcel?" },
      language: locale,
    });
    const page = await newSignedInPage(browser, agent.email, agent.password, `/tickets/${ticket.id}`);
    const box = page.getByTestId("reply-body");
    await box.fill(c.typed);
    const mark = page.getByTestId("tone-mark");
    await expect(mark).toHaveText(c.phrase);
    const suggestion = page.getByTestId("tone-suggestion").first();
    await expect(suggestion).toBeVisible();
    await screenshot(page, testInfo, `tone-reply-${locale}`);
    if (locale === "en") await checkA11y(page, testInfo, "tone-reply");
    const wording = (await suggestion.textContent()) ?? "";
    await suggestion.click();
    await expect(box).toHaveValue(c.typed.replace(c.phrase, wording));
    await expect(page.getByTestId("tone-mark")).toHaveCount(0);

    // Typing on is never blocked while a check runs.
    await box.press("End");
    await box.pressSequentially(" OK");
    await expect(box).toHaveValue(`${c.typed.replace(c.phrase, wording)} OK`);
    await box.press("Control+Enter");
    await expect(box).toHaveValue("");
    await page.context().close();
  }
  const report = await admin.get<{ phrases: Array<{ phrase: string; accepted: number }> }>("/tone/report");
  expect(report.phrases.some((p) => p.phrase === "i don't know" && p.accepted >= 1)).toBe(true);
});

/** A rule each language gets in the admin screen, and a text the check must then flag. */
const NEW_RULES = {
  en: { pattern: "above my pay grade", text: "Sorry, that is above my pay grade." },
  vi: { pattern: "hỏi người khác đi", text: "Dạ chị hoi nguoi khac di ạ." },
  km: { pattern: "ទៅសួរអ្នកផ្សេង", text: "ទៅសួរអ្នកផ្សេង" },
  ta: { pattern: "வேறு யாரையாவது கேளுங்கள்", text: "தயவுசெய்து வேறு யாரையாவது கேளுங்கள்." },
} as const;

test("administrators see the built-in tone rules, add one per language, turn one off; the check follows", async ({
  browser,
}, testInfo) => {
  const check = (text: string, lang: string) =>
    admin.send<{ findings: Array<{ text: string }> }>("POST", "/tone/check", { text, lang });
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password, "/admin/tone-rules", {
    notificationOfferAnswered: true,
  });
  const table = page.getByTestId("tone-rules");
  for (const [lang, r] of Object.entries(NEW_RULES)) {
    await page.getByTestId("tone-rules-admin").getByLabel("Language").selectOption(lang);
    await expect
      .poll(() => table.locator('tr[data-builtin="true"]').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(30);
    const pattern = `${r.pattern}|${unique("x").replaceAll("-", " ")}`;
    await page.getByRole("button", { name: "Add rule" }).click();
    const form = page.getByTestId("tone-rule-form");
    await form.getByLabel("Phrase", { exact: false }).first().fill(pattern);
    await form.getByLabel("Category").selectOption("not-my-job");
    await form
      .getByLabel("Suggested wording", { exact: false })
      .fill("Let me find the right person for you.");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form).toHaveCount(0);
    await expect(
      table.locator('tr[data-builtin="false"]').filter({ hasText: r.pattern }).first(),
    ).toBeVisible();
    const found = await check(r.text, lang);
    expect(found.findings.map((f) => f.text).join("|"), `${lang}: ${r.text}`).not.toBe("");
  }
  await checkA11y(page, testInfo, "tone-rules-admin");
  await screenshot(page, testInfo, "tone-rules-admin");

  // Turning a built-in rule off stops the check from flagging it; on again, it flags again.
  await page.getByTestId("tone-rules-admin").getByLabel("Language").selectOption("en");
  const sentence = "Sorry, that's not my job.";
  expect((await check(sentence, "en")).findings.length).toBeGreaterThan(0);
  const toggle = page.getByRole("switch", { name: "Check for “that's not my job”" });
  await toggle.click({ force: true });
  await expect(toggle).not.toBeChecked();
  await expect.poll(async () => (await check(sentence, "en")).findings.length).toBe(0);
  await toggle.click({ force: true });
  await expect(toggle).toBeChecked();
  await expect.poll(async () => (await check(sentence, "en")).findings.length).toBeGreaterThan(0);
  await page.context().close();
});

test("the angry-customer flag: inbox icon, ticket header badge and view editor select, light and dark, with axe", async ({
  browser,
}, testInfo) => {
  const agent = await createAgent(admin);
  const ticket = await admin.send<{ id: string; subject: string; sentiment: string }>("POST", "/tickets", {
    subject: unique("Still no refund"),
    requester: { email: `${unique("c")}@example.test`, name: "Sam" },
    message: { body: "This is terrible! Worst service ever, I am very angry and disappointed!!" },
    assigneeId: agent.id,
  });
  expect(ticket.sentiment).toBe("negative");
  for (const colorScheme of ["light", "dark"] as const) {
    const page = await newSignedInPage(browser, agent.email, agent.password, "/inbox/mine", { colorScheme });
    const flag = page.getByRole("img", { name: "Customer sounds upset" }).first();
    await expect(flag).toBeVisible({ timeout: 45_000 });
    await checkA11y(page, testInfo, `sentiment-inbox-${colorScheme}`);
    await page.goto(`/tickets/${ticket.id}`);
    const badge = page.locator('main [data-sentiment="negative"]').first();
    await expect(badge).toContainText("Upset");
    await checkA11y(page, testInfo, `sentiment-ticket-${colorScheme}`);
    if (colorScheme === "light") {
      await page.goto("/views/new");
      const select = page.getByLabel("Customer sentiment");
      await select.selectOption("negative");
      await expect(select).toHaveValue("negative");
      await checkA11y(page, testInfo, "sentiment-view-editor");
    }
    await screenshot(page, testInfo, `sentiment-${colorScheme}`);
    await page.context().close();
  }
});
