/**
 * Measurement, not a test (no thresholds): the time from a message accepted by the API to it
 * being shown in a connected agent's browser, over 200 messages sent one after another.
 * Run: MEASURE=1 npx playwright test --project=measure --no-deps
 * Writes test-results/latency.json and prints p50/p95/max.
 */
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, Api, ensureSetup, signIn } from "./helpers.ts";

const N = Number(process.env.MEASURE_MESSAGES ?? 200);

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

test("message accepted by the API → shown in the agent's browser", async ({ page, baseURL }) => {
  test.setTimeout(600_000);
  const url = baseURL ?? "";
  await ensureSetup(url);
  const admin = await Api.login(url, ADMIN.email, ADMIN.password);
  const token = (await admin.send<{ token: string }>("POST", "/api-tokens", { name: "latency" })).token;
  const api = await Api.token(url, token);
  const ticket = await api.send<{ id: string }>("POST", "/tickets", {
    subject: "Latency probe",
    requester: { email: "latency@example.test" },
    message: { body: "start" },
  });

  await signIn(page, ADMIN.email, ADMIN.password, `/tickets/${ticket.id}`);
  await expect(page.getByTestId("realtime-status")).toHaveAttribute("data-status", "open");
  await expect(page.locator("article").first()).toBeVisible();
  // Record when each message's article enters the DOM (epoch ms, same clock as this process).
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    const arrived: Record<string, number> = {};
    type Rt = { subscribe: (l: (f: { type: string; message?: { id: string } }) => void) => void };
    const w = window as unknown as {
      __shown: Record<string, number>;
      __arrived: Record<string, number>;
      __rapportRealtime: Rt;
    };
    w.__shown = seen;
    w.__arrived = arrived;
    // When the websocket frame reaches the app (before React renders it).
    w.__rapportRealtime.subscribe((f) => {
      if (f.type === "message" && f.message)
        arrived[f.message.id] = performance.timeOrigin + performance.now();
    });
    new MutationObserver((records) => {
      const now = performance.timeOrigin + performance.now();
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof HTMLElement)
            for (const el of [n, ...n.querySelectorAll<HTMLElement>("[data-message-id]")]) {
              const id = el.dataset.messageId;
              if (id && !(id in seen)) seen[id] = now;
            }
    }).observe(document.body, { childList: true, subtree: true });
  });

  const samples: { id: string; sent: number; accepted: number }[] = [];
  for (let i = 0; i < N; i++) {
    const sent = Date.now();
    const m = await api.send<{ id: string }>("POST", `/tickets/${ticket.id}/messages`, {
      body: `probe ${i}`,
      authorType: "customer",
    });
    samples.push({ id: m.id, sent, accepted: Date.now() });
    await expect
      .poll(() =>
        page.evaluate((id) => (window as unknown as { __shown: Record<string, number> }).__shown[id], m.id),
      )
      .toBeGreaterThan(0);
  }
  const shown = await page.evaluate(() => (window as unknown as { __shown: Record<string, number> }).__shown);
  const arrived = await page.evaluate(
    () => (window as unknown as { __arrived: Record<string, number> }).__arrived,
  );
  const frameToShown = samples
    .map((s) => (shown[s.id] ?? Number.NaN) - (arrived[s.id] ?? Number.NaN))
    .sort((a, b) => a - b);
  const acceptedToFrame = samples
    .map((s) => Math.max(0, (arrived[s.id] ?? Number.NaN) - s.accepted))
    .sort((a, b) => a - b);
  const fromAccepted = samples
    .map((s) => Math.max(0, (shown[s.id] ?? Number.NaN) - s.accepted))
    .sort((a, b) => a - b);
  const fromSent = samples.map((s) => (shown[s.id] ?? Number.NaN) - s.sent).sort((a, b) => a - b);
  const result = {
    messages: N,
    acceptedToShownMs: {
      p50: pct(fromAccepted, 50),
      p95: pct(fromAccepted, 95),
      max: pct(fromAccepted, 100),
    },
    requestToShownMs: { p50: pct(fromSent, 50), p95: pct(fromSent, 95), max: pct(fromSent, 100) },
    acceptedToFrameMs: { p50: pct(acceptedToFrame, 50), p95: pct(acceptedToFrame, 95) },
    frameToShownMs: { p50: pct(frameToShown, 50), p95: pct(frameToShown, 95) },
    shownBeforeHttpResponse: samples.filter((s) => (shown[s.id] ?? 0) < s.accepted).length,
  };
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync("test-results/latency.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
  await api.dispose();
  await admin.dispose();
});
