#!/usr/bin/env node
// A small bridge between a Telegram bot and a Rapport webhook channel (Node 20+, built-ins only).
//
//   TELEGRAM_TOKEN=123:abc RAPPORT_INBOUND_URL=https://desk.example.com/api/v1/channels/inbound/<key> \
//   RAPPORT_SECRET=whsec_... PORT=8787 node examples/bridge/telegram-bridge.mjs
//
// Customer -> Rapport: long-polls Telegram's getUpdates and posts each message to the inbound URL,
//   signed with HMAC-SHA256 over `${timestamp}.${rawBody}` (see docs/channels.md).
// Rapport -> customer: listens on PORT for Rapport's signed POSTs (set the channel's outbound URL to
//   http://<this host>:PORT/rapport), verifies them, and sends the text with sendMessage.

import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";

const { TELEGRAM_TOKEN, RAPPORT_INBOUND_URL, RAPPORT_SECRET } = process.env;
const PORT = Number(process.env.PORT ?? 8787);
if (!TELEGRAM_TOKEN || !RAPPORT_INBOUND_URL || !RAPPORT_SECRET) {
  console.error("Set TELEGRAM_TOKEN, RAPPORT_INBOUND_URL and RAPPORT_SECRET");
  process.exit(1);
}
const telegram = (method) => `https://api.telegram.org/bot${TELEGRAM_TOKEN}/${method}`;

const sign = (timestamp, body) =>
  createHmac("sha256", RAPPORT_SECRET).update(`${timestamp}.${body}`).digest("hex");

function verify(headers, body) {
  const timestamp = headers["x-rapport-timestamp"];
  const given = String(headers["x-rapport-signature"] ?? "").replace(/^sha256=/, "");
  if (!timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = sign(timestamp, body);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Customer -> Rapport, retried a few times; a 4xx other than 429 is not retried (fix the payload). */
async function forward(message) {
  const body = JSON.stringify({
    externalConversationId: String(message.chat.id),
    sender: {
      id: String(message.from.id),
      name: [message.from.first_name, message.from.last_name].filter(Boolean).join(" "),
    },
    text: message.text ?? message.caption ?? "",
    attachments: [],
    timestamp: message.date,
  });
  const delivery = randomUUID();
  for (let attempt = 1; attempt <= 5; attempt++) {
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(RAPPORT_INBOUND_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-rapport-timestamp": String(timestamp),
        "x-rapport-signature": `sha256=${sign(timestamp, body)}`,
        "x-rapport-delivery": delivery,
      },
      body,
    }).catch((e) => ({ ok: false, status: 0, text: async () => String(e) }));
    if (res.ok || res.status === 409) return; // 409: Rapport already has this delivery
    console.error(`Rapport answered ${res.status}: ${await res.text()}`);
    if (res.status >= 400 && res.status < 500 && res.status !== 429) return;
    await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
  }
}

async function pollTelegram() {
  let offset = 0;
  for (;;) {
    try {
      const res = await fetch(`${telegram("getUpdates")}?timeout=30&offset=${offset}`);
      const data = await res.json();
      for (const update of data.result ?? []) {
        offset = update.update_id + 1;
        if (update.message?.from && !update.message.from.is_bot) await forward(update.message);
      }
    } catch (e) {
      console.error("Telegram polling failed:", e.message);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** Rapport -> customer: answer 2xx only once Telegram took the message, so Rapport retries otherwise. */
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (req.method !== "POST" || !verify(req.headers, body)) {
      res.writeHead(401).end("bad signature");
      return;
    }
    const reply = JSON.parse(body);
    const sent = await fetch(telegram("sendMessage"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: reply.externalConversationId, text: reply.message.text }),
    }).catch(() => null);
    if (sent?.ok) res.writeHead(200, { "content-type": "application/json" }).end('{"status":"delivered"}');
    else res.writeHead(502).end("telegram refused");
  });
});

server.listen(PORT, () => console.log(`bridge listening on :${PORT}, polling Telegram`));
void pollTelegram();
