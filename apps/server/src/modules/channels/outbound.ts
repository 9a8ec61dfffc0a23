import fs from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { PermanentJobError } from "../../jobs/worker.ts";
import { excerpt, fetchOutbound, OutboundRefused } from "../../lib/ssrf.ts";
import { setMessageDelivery } from "../tickets/messages.service.ts";
import type { AddedMessage } from "../tickets/pipeline.ts";
import { attachments, messages } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./channels.schema.ts";
import { channelSecret } from "./channels.service.ts";
import {
  channelConversations,
  channelIdentities,
  channelOutbound,
  webhookChannels,
} from "./channels.table.ts";
import { sign } from "./inbound.ts";

export const DELIVER_JOB = "channels.deliver";
export const DELIVER_ATTEMPTS = 8;
/** Files above this total are not inlined in the outbound payload (the bridge gets their names only). */
const INLINE_FILES_MAX = 8 * 1024 * 1024;

/**
 * The insertMessage hook: a public agent reply on a webhook-channel ticket is queued for
 * the channel's outbound URL in the same transaction (a row, the job, delivery "queued").
 */
/** Message step: an agent's public reply on a webhook-channel ticket is queued to its channel. */
export async function queueChannelReplies(uow: Uow, items: AddedMessage[]) {
  if (uow.quiet) return;
  for (const { before, message, input } of items) await queueWebhookReply(uow.tx, before, message, input);
}

async function queueWebhookReply(
  tx: DbOrTx,
  ticket: AddedMessage["before"],
  message: AddedMessage["message"],
  input: AddedMessage["input"],
) {
  if (ticket.channel !== "webhook" || input.authorType !== "agent" || input.internal) return;
  if (message.channel !== "webhook") return;
  const [conv] = await tx
    .select({ conv: channelConversations, channel: webhookChannels })
    .from(channelConversations)
    .innerJoin(webhookChannels, eq(webhookChannels.id, channelConversations.channelId))
    .where(eq(channelConversations.ticketId, ticket.id))
    .limit(1);
  if (!conv) return;
  if (!conv.channel.outboundUrl || !conv.channel.active) {
    await setMessageDelivery(tx, message.id, "failed", "The channel has no outbound URL or is inactive");
    return;
  }
  const [recipient] = await tx
    .select({ id: channelIdentities.externalId, name: channelIdentities.displayName })
    .from(channelIdentities)
    .where(
      and(
        eq(channelIdentities.channelId, conv.channel.id),
        eq(channelIdentities.contactId, ticket.requesterId),
      ),
    )
    .limit(1);
  const [agent] = input.authorUserId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, input.authorUserId))
    : [];
  const [row] = await tx
    .insert(channelOutbound)
    .values({
      channelId: conv.channel.id,
      messageId: message.id,
      payload: {
        externalConversationId: conv.conv.externalConversationId,
        recipient: { id: recipient?.id ?? null, name: recipient?.name ?? "" },
        agent: { name: agent?.name ?? "" },
      },
    })
    .onConflictDoNothing()
    .returning({ id: channelOutbound.id });
  if (!row) return;
  await setMessageDelivery(tx, message.id, "queued", null, message.createdAt);
  await enqueue(
    tx,
    DELIVER_JOB,
    { outboundId: row.id },
    { dedupeKey: row.id, maxAttempts: DELIVER_ATTEMPTS },
  );
}

/** Builds the signed body for one outbound row. */
async function buildBody(ctx: Ctx, outboundId: string) {
  const [row] = await ctx.db
    .select({ out: channelOutbound, channel: webhookChannels })
    .from(channelOutbound)
    .innerJoin(webhookChannels, eq(webhookChannels.id, channelOutbound.channelId))
    .where(eq(channelOutbound.id, outboundId));
  if (!row) throw new PermanentJobError("The outbound row is gone");
  const [message] = await ctx.db.select().from(messages).where(eq(messages.id, row.out.messageId));
  if (!message) throw new PermanentJobError("The message is gone");
  const files = await ctx.db.select().from(attachments).where(eq(attachments.messageId, message.id));
  let budget = INLINE_FILES_MAX;
  const inlined = [];
  for (const f of files) {
    if (f.size > budget) continue;
    budget -= f.size;
    const content = await fs.readFile(path.join(ctx.config.attachmentsDir, f.storageKey));
    inlined.push({
      filename: f.filename,
      contentType: f.contentType,
      size: f.size,
      base64: content.toString("base64"),
    });
  }
  const p = row.out.payload as {
    externalConversationId: string;
    recipient: { id: string | null; name: string };
    agent: { name: string };
  };
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const body = JSON.stringify({
    type: "message",
    deliveryId: row.out.id,
    channelId: row.channel.id,
    externalConversationId: p.externalConversationId,
    recipient: p.recipient,
    message: { id: message.id, text: message.bodyText, html: message.bodyHtml, attachments: inlined },
    agent: p.agent,
    timestamp,
  });
  return { row, message, body, timestamp };
}

/**
 * The delivery job: POSTs the reply to the outbound URL, signed like inbound calls.
 * A 2xx marks it sent (or delivered/read when the bridge says so in `{ "status" }`);
 * 408, 429 and 5xx and network errors are retried with backoff; other 4xx fail for good.
 */
export async function deliver(ctx: Ctx, outboundId: string, attempt: number) {
  const { row, message, body, timestamp } = await buildBody(ctx, outboundId);
  if (row.out.status === "sent") return;
  const url = row.channel.outboundUrl;
  if (!url || !row.channel.active)
    throw new PermanentJobError("The channel has no outbound URL or is inactive");
  const secret = channelSecret(ctx.config, row.channel);
  let status = 0;
  let answer = "";
  try {
    // Through the SSRF guard; a 3xx is the answer (redirects are not followed for a POST).
    const res = await fetchOutbound(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Rapport-Webhook-Channel/1",
        [SIGNATURE_HEADER]: `sha256=${sign(secret, timestamp, body)}`,
        [TIMESTAMP_HEADER]: String(timestamp),
        [DELIVERY_HEADER]: row.out.id,
      },
      body,
      maxBytes: 2000,
      timeoutMs: 10_000,
    });
    status = res.status;
    answer = res.body.toString("utf8");
  } catch (e) {
    if (!(e instanceof OutboundRefused)) throw e;
    // One neutral reason for a blocked address, a failed lookup or a refused connection.
    await recordAttempt(ctx, outboundId, attempt, 0, e.message);
    throw e.blocked ? new PermanentJobError(e.message) : new Error(e.message);
  }
  // The log keeps the status and a short printable excerpt of the bridge's answer, no more.
  const said = excerpt(answer);
  await recordAttempt(ctx, outboundId, attempt, status, said);
  if (status >= 200 && status < 300) {
    let reported: "sent" | "delivered" | "read" = "sent";
    try {
      const s = (JSON.parse(answer) as { status?: unknown }).status;
      if (s === "delivered" || s === "read") reported = s;
    } catch {
      // A bridge may answer with anything; a 2xx is "sent".
    }
    await ctx.db
      .update(channelOutbound)
      .set({ status: "sent", lastError: null, updatedAt: ctx.now() })
      .where(eq(channelOutbound.id, outboundId));
    await setMessageDelivery(ctx.db, message.id, reported, null, ctx.now());
    return;
  }
  const error = `HTTP ${status}${said ? `: ${said}` : ""}`;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PermanentJobError(error);
  throw new Error(error);
}

async function recordAttempt(ctx: Ctx, outboundId: string, attempt: number, status: number, note: string) {
  const [row] = await ctx.db
    .select({ attempts: channelOutbound.attempts })
    .from(channelOutbound)
    .where(eq(channelOutbound.id, outboundId));
  const attempts = [
    ...((row?.attempts as unknown[]) ?? []),
    { attempt, status, note, at: ctx.now().toISOString() },
  ].slice(-20);
  await ctx.db
    .update(channelOutbound)
    .set({ attempts, updatedAt: ctx.now() })
    .where(eq(channelOutbound.id, outboundId));
}

/** After a failed attempt: the message shows "queued" with the error while retrying, "failed" at the end. */
export async function deliveryFailed(ctx: Ctx, outboundId: string, error: string, willRetry: boolean) {
  const [row] = await ctx.db.select().from(channelOutbound).where(eq(channelOutbound.id, outboundId));
  if (!row) return;
  await ctx.db
    .update(channelOutbound)
    .set({ status: willRetry ? "queued" : "failed", lastError: error.slice(0, 2000), updatedAt: ctx.now() })
    .where(eq(channelOutbound.id, outboundId));
  await setMessageDelivery(
    ctx.db,
    row.messageId,
    willRetry ? "queued" : "failed",
    willRetry ? `Retrying: ${error}`.slice(0, 500) : error.slice(0, 500),
    ctx.now(),
  );
}
