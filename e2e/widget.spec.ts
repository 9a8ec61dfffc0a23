import type { WebSocketRoute } from "@playwright/test";
import { expect, type FrameLocator, type Page, test } from "@playwright/test";
import chatVi from "../apps/web/src/features/chat/locales/vi.ts";
import { STRINGS } from "../apps/widget/src/app/strings.ts";
import {
  ADMIN,
  Api,
  checkA11y,
  createAgent,
  ensureSetup,
  LOCALES,
  newSignedInPage,
  screenshot,
  unique,
} from "./helpers.ts";
import { ARTICLE, LANGS, publishArticle } from "./kb-articles.ts";

/**
 * The chat widget on a demo page: a visitor chats, an agent answers from the agent app in a
 * second browser context, the reply arrives live, the conversation survives a reload;
 * offline the message becomes an email ticket; a call-back request reaches the call-back queue.
 */
test.describe.configure({ mode: "serial" });

type Site = { id: string; key: string };

async function put(api: Api, path: string, data: unknown) {
  const r = await api.ctx.fetch(`/api/v1${path}`, {
    method: "PUT",
    data,
    headers: { "x-csrf-token": (api as unknown as { csrf: string }).csrf },
  });
  expect(r.ok(), `PUT ${path}: ${r.status()} ${await r.text()}`).toBe(true);
}

async function openWidget(page: Page, key: string, lang: keyof typeof STRINGS = "en"): Promise<FrameLocator> {
  page.on("console", (m) => {
    if (m.type() === "error") console.log(`widget console: ${m.text()} ${m.location().url}`);
  });
  page.on("requestfailed", (r) => console.log(`widget request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`/widget/demo.html?key=${key}&lang=${lang}`);
  const frame = page.frameLocator('iframe[title="Chat"]');
  await frame.getByRole("button", { name: STRINGS[lang].open }).click();
  // The panel opens inside the 72-pixel frame and is only usable once the page has grown the
  // frame (the loader does it on the widget's "resize" message), as a visitor sees it.
  await expect(page.locator('iframe[title="Chat"]')).toHaveCSS("width", "380px");
  return frame;
}

/** An article body's text as a reader sees it (the fixtures are single paragraphs). */
const htmlText = (html: string) => html.replace(/<[^>]+>/g, "");

/** Selects one of the open panel's tabs and waits until it is the selected one. */
async function selectTab(frame: FrameLocator, name: string) {
  const tab = frame.getByRole("tab", { name });
  await tab.click();
  await expect(tab).toHaveAttribute("aria-selected", "true");
}

let admin: Api;
let site: Site;
let agent: { id: string; name: string; email: string; password: string };

test.beforeAll(async ({ baseURL }) => {
  const url = baseURL ?? "";
  await ensureSetup(url);
  admin = await Api.login(url, ADMIN.email, ADMIN.password);
  site = await admin.send<Site>("POST", "/chat/sites", {
    name: unique("Acme Shop"),
    allowedOrigins: [new URL(url).origin],
    appearance: {
      color: "#7c3aed",
      position: "right",
      greeting: { en: "Hello from Acme! Ask us anything." },
    },
    languages: ["en", "vi", "km", "ta"],
    prechat: { enabled: false, fields: [], required: [], topics: [] },
    hours: null,
    teamId: null,
    active: true,
  });
  agent = await createAgent(admin);
  // Only this agent is online: every other user is offline.
  const agents = await admin.get<Array<{ id: string; availability: string }>>("/chat/agents");
  expect(agents.filter((a) => a.availability === "online" && a.id !== agent.id)).toEqual([]);
});

test.afterAll(async () => {
  await admin?.dispose();
});

test("a visitor chats, an agent answers live from the agent app, the visitor reloads and still sees it", async ({
  browser,
  baseURL,
}, testInfo) => {
  const agentApi = await Api.login(baseURL ?? "", agent.email, agent.password);
  await put(agentApi, "/chat/availability", { availability: "offline" });
  const agentPage = await newSignedInPage(browser, agent.email, agent.password, "/chat");
  await expect(agentPage.getByRole("heading", { name: "Live chat" })).toBeVisible();
  // The agent goes online from the top bar (there on every page).
  const availability = agentPage.getByTestId("availability-header");
  await expect(availability).toHaveText("Offline");
  await availability.click();
  await agentPage.getByRole("menuitem", { name: "Online" }).click();
  await expect(availability).toHaveText("Online");
  await expect
    .poll(async () => {
      const agents = await agentApi.get<Array<{ id: string; availability: string }>>("/chat/agents");
      return agents.find((a) => a.id === agent.id)?.availability;
    })
    .toBe("online");

  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  const w = await openWidget(visitor, site.key);
  await expect(w.getByText("Hello from Acme! Ask us anything.")).toBeVisible();
  const question = `Where is my order? 📦 <b>not bold</b> ${unique("q")}`;
  await w.getByRole("textbox", { name: "Type your message…" }).fill(question);
  await w.getByRole("button", { name: "Send" }).click();
  await expect(w.getByTestId("chat-message").filter({ hasText: question })).toContainText("Delivered");
  // Typed HTML is text in the widget.
  await expect(w.locator("b")).toHaveCount(0);
  await screenshot(visitor, testInfo, "widget-visitor-chat");

  // The agent app rings: the chat arrives live, assigned to the only online agent.
  const incoming = agentPage.getByTestId("chat-incoming");
  await expect(incoming).toContainText("Where is my order?");
  await incoming.getByRole("button", { name: "Open" }).click();
  await expect(agentPage.getByRole("heading", { level: 1 })).toContainText("Where is my order?");
  await expect(agentPage.getByText(question).first()).toBeVisible();
  await expect(agentPage.locator("b", { hasText: "not bold" })).toHaveCount(0);
  await expect(agentPage.getByTestId("chat-panel")).toContainText("Live");
  // The agent's own live-chat count in the navigation (issue 14).
  await expect(agentPage.getByTestId("chat-badge")).toHaveAttribute("data-count", "1");

  const answer = `Your parcel left our warehouse today 🚚 ${unique("a")}`;
  await agentPage.getByTestId("reply-body").fill(answer);
  // Typing in the reply box shows on the widget.
  await expect(w.getByText(/is typing/)).toBeVisible();
  await agentPage.getByRole("button", { name: "Send", exact: true }).click();
  await screenshot(agentPage, testInfo, "widget-agent-reply");

  // Live, without a reload.
  await expect(w.getByTestId("chat-message").filter({ hasText: answer })).toBeVisible();
  await screenshot(visitor, testInfo, "widget-visitor-reply");

  // A reload (or another page of the site): the conversation is still there.
  await visitor.reload();
  const w2 = visitor.frameLocator('iframe[title="Chat"]');
  await w2.getByRole("button", { name: "Open chat" }).click();
  await expect(w2.getByTestId("chat-message").filter({ hasText: question })).toBeVisible();
  await expect(w2.getByTestId("chat-message").filter({ hasText: answer })).toBeVisible();
  // The reply is marked read once the visitor saw it.
  await expect
    .poll(async () => {
      const ticketId = agentPage.url().split("/tickets/")[1] ?? "";
      const msgs = await agentApi.get<{
        items: Array<{ bodyText: string; delivery: { status: string } | null }>;
      }>(`/tickets/${ticketId}/messages`);
      return msgs.items.find((m) => m.bodyText === answer)?.delivery?.status;
    })
    .toBe("read");

  // The chat console lists the chat under the agent's own chats by a readable name, not an id.
  await agentPage.goto("/chat");
  const myChat = agentPage.getByTestId("my-chat").filter({ hasText: "Where is my order?" });
  await expect(myChat).toBeVisible();
  expect(await myChat.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  await expect(myChat.getByRole("link")).toHaveText(/\S/);

  await put(agentApi, "/chat/availability", { availability: "offline" });
  await agentApi.dispose();
  await agentPage.context().close();
  await visitorCtx.close();
});

/**
 * Issue 14: the widget names an agent by the chat name the agent chose in the chat console, not
 * by the full name (nor its first word: "Nguyễn" is a family name), on the agent's messages and
 * in "… is typing", in the four widget languages.
 */
test("the widget shows the agent's chat name, not the full name", async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const fullName = "Nguyễn Thị Minh Anh";
  const chatName = "Minh Anh";
  const named = await createAgent(admin, { name: fullName, locale: "vi" });
  const agentPage = await newSignedInPage(browser, named.email, named.password, "/chat", {
    notificationOfferAnswered: true,
  });
  // The first screen of a new context may take a while on a busy machine.
  await expect(agentPage.getByTestId("chat-name")).toBeVisible({ timeout: 45_000 });
  await agentPage.getByTestId("chat-name").fill(chatName);
  await agentPage.getByRole("button", { name: chatVi["chat.chatNameSave"] }).click();
  await expect(agentPage.getByRole("status").filter({ hasText: chatVi["chat.chatNameSaved"] })).toBeVisible();
  await agentPage.context().close();
  const agentApi = await Api.login(baseURL ?? "", named.email, named.password);
  await put(agentApi, "/chat/availability", { availability: "online" });
  try {
    for (const lang of LOCALES) {
      const l = STRINGS[lang];
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`/widget/demo.html?key=${site.key}&lang=${lang}`);
      const w = page.frameLocator('iframe[title="Chat"]');
      await w.getByRole("button", { name: l.open }).click();
      const question = unique(`chat-name-${lang}`);
      await w.getByRole("textbox", { name: l.placeholder }).fill(question);
      await w.getByRole("button", { name: l.send, exact: true }).click();
      await expect(
        w.getByTestId("chat-message").filter({ hasText: question }).locator('[data-state="delivered"]'),
      ).toHaveCount(1);
      const list = await admin.get<{ items: Array<{ id: string; subject: string }> }>("/tickets?limit=50");
      const ticketId = list.items.find((x) => x.subject.includes(question))?.id ?? "";
      expect(ticketId, "the chat's ticket").not.toBe("");
      await agentApi.send("POST", `/chat/tickets/${ticketId}/typing`, { typing: true });
      await expect(w.getByText(l.typing.replace("{name}", chatName))).toBeVisible();
      const answer = unique("answer");
      await agentApi.send("POST", `/tickets/${ticketId}/messages`, { body: answer });
      const reply = w.getByTestId("chat-message").filter({ hasText: answer });
      await expect(reply.locator("small")).toHaveText(chatName);
      await expect(w.locator("body")).not.toContainText(fullName);
      await expect(w.locator("body")).not.toContainText("Nguyễn");
      await screenshot(page, testInfo, `widget-chat-name-${lang}`);
      await checkA11y(page, testInfo, `widget-chat-name-${lang}`);
      await ctx.close();
    }
  } finally {
    await put(agentApi, "/chat/availability", { availability: "offline" });
    await agentApi.dispose();
  }
});

test("offline: the widget says when an answer comes, the message becomes an email ticket, and a call-back request reaches the queue", async ({
  browser,
}, testInfo) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const w = await openWidget(page, site.key);
  await expect(w.getByRole("heading", { name: "We are offline" })).toBeVisible();
  await expect(w.getByText(/we will answer by email/)).toBeVisible();
  const email = `${unique("offline")}@example.test`;
  await w.getByLabel("Name").fill("Offline Olivia");
  await w.getByLabel("Email").fill(email);
  await w.getByLabel("Message").fill("Please call me about my invoice ☎️");
  await w.getByRole("button", { name: "Send message" }).click();
  await expect(w.getByRole("status")).toContainText("We will answer by email");
  await screenshot(page, testInfo, "widget-offline");
  const list = await admin.get<{
    items: Array<{ channel: string; tags: string[]; requester: { email: string } }>;
  }>("/tickets?limit=50");
  const ticket = list.items.find((t) => t.requester.email === email);
  expect(ticket?.channel).toBe("email");
  expect(ticket?.tags).toContain("chat-offline");

  await w.getByRole("button", { name: "Ask for a call-back" }).click();
  await w.getByLabel("Phone").fill("+84 90 555 12 34");
  await w.getByRole("button", { name: "Request call-back" }).click();
  await expect(w.getByRole("status")).toContainText("We will call you");
  const queue = await admin.get<{ items: Array<{ phone: string; source: string }> }>("/phone/callbacks");
  expect(queue.items.some((c) => c.phone === "+84905551234" && c.source === "widget")).toBe(true);
  await screenshot(page, testInfo, "widget-callback");
  await ctx.close();
});

test("the widget follows the page language", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`/widget/demo.html?key=${site.key}&lang=km`);
  const frame = page.frameLocator('iframe[title="Chat"]');
  await frame.getByRole("button", { name: "បើកការជជែក" }).click();
  await expect(frame.getByRole("heading", { name: "យើងមិននៅលើបណ្តាញទេ" })).toBeVisible();
  await ctx.close();
});

/**
 * Issue 15: the help tab searches published articles in the widget's language (Vietnamese without
 * diacritics, a word inside unspaced Khmer); while the visitor types the first message articles
 * are suggested, and the chat's ticket lists them among the articles seen before it.
 */
test("the help tab finds articles in four languages; suggestions while typing reach the chat's ticket", async ({
  browser,
  baseURL,
}, testInfo) => {
  const suffix = unique("w");
  const articleId = await publishArticle(admin, suffix);
  for (const lang of LANGS) {
    const l = STRINGS[lang];
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const w = await openWidget(page, site.key, lang);
    await selectTab(w, l.tabHelp);
    await w.getByRole("searchbox", { name: l.helpSearch }).pressSequentially(ARTICLE[lang].typed);
    const found = w
      .getByTestId("widget-help-results")
      .getByRole("link", { name: `${ARTICLE[lang].title} ${suffix}` });
    await expect(found).toBeVisible();
    await expect(found).toHaveAttribute("href", new RegExp(`article=${articleId}&lang=${lang}&sid=w`));
    await screenshot(page, testInfo, `widget-help-${lang}`);
    if (lang === "en") await checkA11y(page, testInfo, "widget-help");
    // A plain click reads the article inside the widget, in this language; Back returns to the results.
    await found.click();
    const view = w.getByTestId("widget-article-view");
    await expect(view.getByRole("heading", { name: `${ARTICLE[lang].title} ${suffix}` })).toBeFocused();
    await expect(view).toContainText(htmlText(ARTICLE[lang].body));
    await expect(view).toHaveAttribute("lang", lang);
    await expect(w.getByRole("link", { name: l.helpOpenFull })).toHaveAttribute(
      "href",
      new RegExp(`article=${articleId}&lang=${lang}&sid=w`),
    );
    expect(page.url(), "the page stays where it was").toContain("/widget/demo.html");
    await screenshot(page, testInfo, `widget-article-${lang}`);
    if (lang === "en") await checkA11y(page, testInfo, "widget-article");
    await w.getByRole("button", { name: l.helpBack }).click();
    await expect(found).toBeVisible();
    // The read counts as an open of this language's suggestion (the editors' figures).
    await expect
      .poll(async () => {
        const stats = await admin.get<{ items: Array<{ articleId: string; opened: number }> }>(
          `/kb/deflection?language=${lang}`,
        );
        return stats.items.find((i) => i.articleId === articleId)?.opened ?? 0;
      })
      .toBe(1);
    await ctx.close();
  }

  const agentApi = await Api.login(baseURL ?? "", agent.email, agent.password);
  await put(agentApi, "/chat/availability", { availability: "online" });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const w = await openWidget(page, site.key);
  const box = w.getByRole("textbox", { name: STRINGS.en.placeholder });
  await box.pressSequentially(ARTICLE.en.typed);
  const suggestions = w.getByTestId("widget-suggestions");
  await expect(suggestions.getByRole("link", { name: `${ARTICLE.en.title} ${suffix}` })).toBeVisible();
  await checkA11y(page, testInfo, "widget-suggestions");
  // Opening a suggestion shows it in the help tab; the chat tab still holds what was typed.
  await suggestions.getByRole("link", { name: `${ARTICLE.en.title} ${suffix}` }).click();
  await expect(w.getByRole("tab", { name: STRINGS.en.tabHelp })).toHaveAttribute("aria-selected", "true");
  await expect(w.getByTestId("widget-article-view")).toContainText(htmlText(ARTICLE.en.body));
  await selectTab(w, STRINGS.en.tabChat);
  await expect(box).toHaveValue(ARTICLE.en.typed);
  // A longer first message still suggests it (any word); sending it links the suggestions to the ticket.
  const marker = unique("sugg");
  await box.pressSequentially(` is not working ${marker}`);
  await w.getByRole("button", { name: STRINGS.en.send, exact: true }).click();
  await expect(
    w.getByTestId("chat-message").filter({ hasText: marker }).locator('[data-state="delivered"]'),
  ).toHaveCount(1);
  await expect(suggestions).toHaveCount(0);
  const list = await admin.get<{ items: Array<{ id: string; subject: string }> }>("/tickets?limit=50");
  const ticket = list.items.find((x) => x.subject.includes(marker));
  expect(ticket, "the chat's ticket").toBeTruthy();
  const seen = await admin.get<{ items: Array<{ articleId: string; source: string }> }>(
    `/tickets/${ticket?.id}/seen-articles`,
  );
  expect(seen.items).toContainEqual(expect.objectContaining({ articleId, source: "widget" }));
  await ctx.close();
  await put(agentApi, "/chat/availability", { availability: "offline" });
  await agentApi.dispose();
});

/**
 * Issue 14, security item 5: the widget's socket is routed through the test, which can drop
 * frames and the connection. A lost acknowledgement is answered after the reconnect's resend
 * with the stored message (stored once); a message that gets no answer shows "Not sent" with
 * Retry after the bound (the page clock is moved on), in every language.
 */
test("a lost acknowledgement is resent after reconnecting and stored once; an unanswered message fails with Retry", async ({
  browser,
  baseURL,
}, testInfo) => {
  const agentApi = await Api.login(baseURL ?? "", agent.email, agent.password);
  await put(agentApi, "/chat/availability", { availability: "online" });
  const stored = async (text: string) => {
    const list = await admin.get<{ items: Array<{ id: string; subject: string }> }>("/tickets?limit=50");
    const ids = list.items.filter((t) => t.subject.includes("resend-")).map((t) => t.id);
    let n = 0;
    for (const id of ids) {
      const msgs = await admin.get<{ items: Array<{ bodyText: string }> }>(`/tickets/${id}/messages`);
      n += msgs.items.filter((m) => m.bodyText === text).length;
    }
    return n;
  };
  const labels = {
    en: { open: "Open chat", send: "Send", box: "Type your message…", failed: "Not sent", retry: "Retry" },
    vi: {
      open: "Mở trò chuyện",
      send: "Gửi",
      box: "Nhập tin nhắn…",
      failed: "Chưa gửi được",
      retry: "Gửi lại",
    },
    km: { open: "បើកការជជែក", send: "ផ្ញើ", box: "វាយសាររបស់អ្នក…", failed: "មិនទាន់បានផ្ញើ", retry: "ផ្ញើម្តងទៀត" },
    ta: {
      open: "அரட்டையைத் திற",
      send: "அனுப்பு",
      box: "உங்கள் செய்தியைத் தட்டச்சு செய்யவும்…",
      failed: "அனுப்பப்படவில்லை",
      retry: "மீண்டும் அனுப்பு",
    },
  };
  for (const [lang, l] of Object.entries(labels)) {
    const ctx = await browser.newContext();
    await ctx.clock.install();
    // "pass": both ways; "no-ack": the server's acks never reach the page; "drop": the page's messages never reach the server.
    let mode: "pass" | "no-ack" | "drop" = "pass";
    const sockets: WebSocketRoute[] = [];
    await ctx.routeWebSocket(/\/widget\/ws/, (ws) => {
      sockets.push(ws);
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (mode === "drop" && String(m).includes('"type":"message"')) return;
        server.send(m);
      });
      server.onMessage((m) => {
        if (mode === "no-ack" && String(m).includes('"type":"ack"')) return;
        ws.send(m);
      });
    });
    const page = await ctx.newPage();
    await page.goto(`/widget/demo.html?key=${site.key}&lang=${lang}`);
    const w = page.frameLocator('iframe[title="Chat"]');
    await w.getByRole("button", { name: l.open }).click();
    const box = w.getByRole("textbox", { name: l.box });
    const sendText = async (text: string) => {
      await box.fill(text);
      await w.getByRole("button", { name: l.send, exact: true }).click();
    };
    const opener = unique(`resend-${lang}`);
    await sendText(opener);
    await expect(
      w.getByTestId("chat-message").filter({ hasText: opener }).locator('[data-state="delivered"]'),
    ).toHaveCount(1);
    await expect.poll(() => stored(opener)).toBe(1);

    if (lang === "en") {
      // The server stores the message but its ack is lost with the connection.
      mode = "no-ack";
      const lost = unique("lost-ack");
      await sendText(lost);
      await expect.poll(() => stored(lost)).toBe(1);
      await expect(w.getByTestId("chat-message").filter({ hasText: lost })).toContainText("Sending…");
      mode = "pass";
      await sockets.at(-1)?.close();
      // The widget reconnects, sends it again and gets the stored message's acknowledgement.
      const bubbles = w.getByTestId("chat-message").filter({ hasText: lost });
      await expect(bubbles.locator('[data-state="delivered"]')).toHaveCount(1);
      await expect(bubbles).toHaveCount(1);
      await expect(bubbles).toContainText("Delivered");
      expect(sockets.length).toBeGreaterThan(1);
      expect(await stored(lost)).toBe(1);
    }

    // No answer at all: after the bound the message shows as not sent, with Retry.
    mode = "drop";
    const unanswered = unique("unanswered");
    await sendText(unanswered);
    const bubble = w.getByTestId("chat-message").filter({ hasText: unanswered });
    await expect(bubble.locator('[data-state="sending"]')).toHaveCount(1);
    await ctx.clock.fastForward(20_000);
    await expect(bubble.getByTestId("chat-failed")).toContainText(l.failed);
    await expect(bubble.getByRole("button", { name: l.retry })).toBeVisible();
    await screenshot(page, testInfo, `widget-failed-${lang}`);
    if (lang === "en") await checkA11y(page, testInfo, "widget-failed");
    expect(await stored(unanswered)).toBe(0);
    mode = "pass";
    await bubble.getByRole("button", { name: l.retry }).click();
    await expect(bubble.getByTestId("chat-failed")).toHaveCount(0);
    await expect(bubble.locator('[data-state="delivered"]')).toHaveCount(1);
    await expect.poll(() => stored(unanswered)).toBe(1);
    await ctx.close();
  }
  await put(agentApi, "/chat/availability", { availability: "offline" });
  await agentApi.dispose();
});
