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

test("a negative phrase is underlined with a suggestion that replaces it, in four languages", async ({
  browser,
  baseURL,
}, testInfo) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
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
  await admin.dispose();
});
