import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import type { Ctx } from "../../context.ts";
import { enqueue } from "../../jobs/queue.ts";
import { AppError } from "../../lib/errors.ts";
import { normalizePhone } from "../../lib/phone.ts";
import { fetchOutbound, OutboundTooLarge, REFUSED_MESSAGE } from "../../lib/ssrf.ts";
import { checkContent, storeAttachment } from "../tickets/attachments.service.ts";
import { setMessageDelivery } from "../tickets/messages.service.ts";
import { addTicketMessage, createTickets, type MessageRow } from "../tickets/pipeline.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import {
  DELIVERY_HEADER,
  REPLAY_WINDOW_S,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type TInboundMessage,
  type TInboundStatus,
  ZInboundMessage,
  ZInboundStatus,
} from "./channels.schema.ts";
import { type ChannelRow, channelSecret } from "./channels.service.ts";
import {
  channelConversations,
  channelIdentities,
  channelInbound,
  channelOutbound,
  channelRefusals,
  webhookChannels,
} from "./channels.table.ts";
import { hmacHex, sameHex } from "./keys.ts";
import { linkContactDetails, matchContact } from "./match.ts";

export const INBOUND_JOB = "channels.inbound";
const utf8 = new TextDecoder("utf-8", { fatal: true });

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Logs a refused call (no other write) and returns the error to answer with. */
async function refuse(
  ctx: Ctx,
  r: {
    channelId: string | null;
    status: number;
    code: "unauthenticated" | "conflict" | "bad_request" | "not_found" | "validation_failed";
    reason: string;
    message: string;
    ip: string;
    deliveryId?: string | undefined;
    body: Buffer;
    details?: unknown;
  },
) {
  await ctx.db.insert(channelRefusals).values({
    channelId: r.channelId,
    code: r.reason,
    reason: r.message.slice(0, 500),
    ip: r.ip.slice(0, 100),
    deliveryId: r.deliveryId?.slice(0, 200) ?? null,
    excerpt: r.body
      .subarray(0, 2000)
      .toString("utf8")
      .replace(/\u0000/g, "\\0"),
    createdAt: ctx.now(),
  });
  return new AppError(r.code, r.status, r.message, { reason: r.reason, ...((r.details as object) ?? {}) });
}

/** Signs a body the way both directions do: HMAC-SHA256 over `${timestamp}.${body}`, hex. */
export const sign = (secret: string, timestamp: number | string, body: string | Buffer) =>
  hmacHex(
    secret,
    Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]),
  );

export type SignedCall =
  | { ok: true; signature: string; text: string }
  | { ok: false; status: 400 | 401; reason: string; message: string };

/**
 * The checks every signed inbound call passes (the webhook channel and the shop order intake),
 * in this order: both headers present, a Unix-seconds timestamp, the HMAC-SHA256 over
 * `${timestamp}.${rawBody}` with `secret` (compared in constant time), the timestamp within
 * REPLAY_WINDOW_S of the server's clock, and a body of UTF-8 text without NUL characters.
 * `secretName` words the refusal ("channel secret", "shop secret"). Writes nothing.
 */
export function verifySignedCall(
  raw: Buffer,
  headers: Headers,
  secret: string,
  nowMs: number,
  secretName: string,
): SignedCall {
  const no = (status: 400 | 401, reason: string, message: string) =>
    ({ ok: false, status, reason, message }) as const;
  const sigHeader = header(headers, SIGNATURE_HEADER);
  const tsHeader = header(headers, TIMESTAMP_HEADER);
  if (!sigHeader || !tsHeader)
    return no(
      401,
      "unsigned",
      `Sign the call: ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} headers are required`,
    );
  if (!/^\d{9,11}$/.test(tsHeader))
    return no(401, "bad_timestamp", `${TIMESTAMP_HEADER} must be Unix seconds`);
  const signature = sigHeader.replace(/^sha256=/, "").toLowerCase();
  if (!sameHex(signature, sign(secret, tsHeader, raw)))
    return no(
      401,
      "bad_signature",
      `The signature does not match (HMAC-SHA256 over \`<timestamp>.<raw body>\` with the ${secretName})`,
    );
  if (Math.abs(nowMs / 1000 - Number(tsHeader)) > REPLAY_WINDOW_S)
    return no(
      401,
      "replayed",
      `The timestamp is more than ${REPLAY_WINDOW_S} s from the server's clock; refused as a replay`,
    );
  try {
    const text = utf8.decode(raw);
    if (text.includes("\u0000")) throw new Error("NUL");
    return { ok: true, signature, text };
  } catch {
    return no(400, "malformed", "The body is not valid UTF-8 text without NUL characters");
  }
}

/**
 * One call from a bridge. Verified before anything is written: a known active channel,
 * a signature over `${timestamp}.${rawBody}` with the channel's secret, a timestamp
 * within 5 minutes, a delivery id / signature not seen before. The raw body is then
 * committed (with a safety-net job) before it is parsed; a malformed payload marks it
 * refused. Then one transaction threads the message onto a ticket.
 */
export async function receiveInbound(ctx: Ctx, key: string, raw: Buffer, headers: Headers, ip: string) {
  const deliveryId = header(headers, DELIVERY_HEADER);
  const [channel] = await ctx.db.select().from(webhookChannels).where(eq(webhookChannels.inboundKey, key));
  const base = { ip, deliveryId, body: raw };
  if (!channel?.active)
    throw await refuse(ctx, {
      ...base,
      channelId: channel?.id ?? null,
      status: 404,
      code: "not_found",
      reason: channel ? "channel_inactive" : "unknown_channel",
      message: "No active channel at this URL",
    });
  const c = { ...base, channelId: channel.id };
  const call = verifySignedCall(
    raw,
    headers,
    channelSecret(ctx.config, channel),
    ctx.now().getTime(),
    "channel secret",
  );
  if (!call.ok)
    throw await refuse(ctx, {
      ...c,
      status: call.status,
      code: call.status === 400 ? "bad_request" : "unauthenticated",
      reason: call.reason,
      message: call.message,
    });
  const { signature, text } = call;
  // Stored before parsing: committed with a safety-net job that processes it if this request cannot.
  const signatureHash = createHash("sha256").update(signature).digest("hex");
  const stored = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(channelInbound)
      .values({
        channelId: channel.id,
        deliveryId: deliveryId?.slice(0, 200) ?? null,
        signatureHash,
        rawBody: text,
        receivedAt: ctx.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (row)
      await enqueue(
        tx,
        INBOUND_JOB,
        { inboundId: row.id },
        { runAt: new Date(Date.now() + 60_000), dedupeKey: row.id, maxAttempts: 5 },
      );
    return row;
  });
  if (!stored)
    throw await refuse(ctx, {
      ...c,
      status: 409,
      code: "conflict",
      reason: "replayed",
      message: "This delivery was received before; refused as a replay",
    });
  const parsed = parseInbound(text);
  if (!parsed.ok) {
    await ctx.db
      .update(channelInbound)
      .set({ status: "refused", error: parsed.error.slice(0, 2000), processedAt: ctx.now() })
      .where(eq(channelInbound.id, stored.id));
    throw await refuse(ctx, {
      ...c,
      status: 400,
      code: "validation_failed",
      reason: "malformed",
      message: `The payload is malformed: ${parsed.error.slice(0, 300)}`,
      details: { issues: parsed.issues },
    });
  }
  if ("type" in parsed.value) return applyStatus(ctx, channel, stored.id, parsed.value);
  return processInbound(ctx, channel, stored.id, parsed.value);
}

type Parsed =
  | { ok: true; value: TInboundMessage | TInboundStatus }
  | { ok: false; error: string; issues: Array<{ path: string; message: string }> };

export function parseInbound(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text, (k, v) => {
      if (k === "__proto__" || k === "constructor") throw new Error(`forbidden key ${k}`);
      return v;
    });
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})`, issues: [] };
  }
  const isStatus =
    typeof json === "object" && json !== null && (json as { type?: unknown }).type === "status";
  const r = isStatus ? ZInboundStatus.safeParse(json) : ZInboundMessage.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
    return { ok: false, error: issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; "), issues };
  }
  return { ok: true, value: r.data };
}

/**
 * Downloads an attachment a bridge gave by URL, through the SSRF guard (public addresses
 * only, redirects checked hop by hop, size-capped, 10 s). Every failure to get a 2xx answer
 * reads the same, so a bridge cannot use the withheld reasons to probe addresses or ports.
 */
async function download(url: string, maxBytes: number): Promise<Buffer> {
  try {
    const res = await fetchOutbound(url, { maxBytes, overflow: "error", timeoutMs: 10_000 });
    if (res.status >= 200 && res.status < 300) return res.body;
  } catch (e) {
    if (e instanceof OutboundTooLarge) throw new Error("too large");
  }
  throw new Error(REFUSED_MESSAGE);
}

async function loadFiles(ctx: Ctx, m: TInboundMessage) {
  const files: Array<{ filename: string; contentType: string; content: Buffer }> = [];
  const withheld: Array<{ filename: string; reason: string }> = [];
  for (const a of m.attachments) {
    try {
      const content = a.base64
        ? Buffer.from(a.base64, "base64")
        : await download(a.url ?? "", ctx.config.attachmentMaxBytes);
      if (content.length === 0) throw new Error("empty");
      if (content.length > ctx.config.attachmentMaxBytes) throw new Error("too large");
      checkContent(a.filename, a.contentType, content.subarray(0, 512));
      files.push({ filename: a.filename, contentType: a.contentType, content });
    } catch (e) {
      withheld.push({ filename: a.filename, reason: (e as Error).message.slice(0, 200) });
    }
  }
  return { files, withheld };
}

const subjectOf = (m: TInboundMessage) => {
  const line = m.text.trim().split(/\r?\n/)[0]?.trim() ?? "";
  const s = line.length > 80 ? `${line.slice(0, 77)}…` : line;
  return s || `Message from ${m.sender.name || m.sender.id}`;
};

/**
 * Threads one parsed message, exactly once (the stored row is locked and must still be
 * "received"): the sender's identity on this channel gives the contact, else the email,
 * else the E.164 phone (created if none); the external conversation gives the ticket (a
 * new one when there is none or it is closed).
 */
export async function processInbound(ctx: Ctx, channel: ChannelRow, inboundId: string, m: TInboundMessage) {
  const { files, withheld } = await loadFiles(ctx, m);
  const result = await withTransaction(
    ctx,
    async (uow) => {
      const { tx, ctx: txCtx } = uow;
      const [row] = await tx
        .select()
        .from(channelInbound)
        .where(eq(channelInbound.id, inboundId))
        .for("update");
      if (!row) throw new Error("inbound row vanished");
      if (row.status !== "received") {
        if (row.status === "processed" && row.ticketId && row.messageId) {
          const [t] = await tx
            .select({ number: tickets.number })
            .from(tickets)
            .where(eq(tickets.id, row.ticketId));
          return { ticketId: row.ticketId, ticketNumber: Number(t?.number ?? 0), messageId: row.messageId };
        }
        throw new AppError("conflict", 409, "This delivery was already handled", { reason: row.status });
      }
      const phone = m.sender.phone ? normalizePhone(m.sender.phone) : undefined;
      const validPhone = phone && /^\+[1-9]\d{6,14}$/.test(phone) ? phone : undefined;
      const [identity] = await tx
        .select()
        .from(channelIdentities)
        .where(
          and(eq(channelIdentities.channelId, channel.id), eq(channelIdentities.externalId, m.sender.id)),
        );
      let contactId: string;
      if (identity) {
        contactId = identity.contactId;
        await linkContactDetails(tx, contactId, { email: m.sender.email, phone: validPhone });
      } else {
        const contact = await matchContact(tx, {
          email: m.sender.email,
          phone: validPhone,
          name: m.sender.name,
        });
        contactId = contact.id;
        await tx
          .insert(channelIdentities)
          .values({ channelId: channel.id, externalId: m.sender.id, contactId, displayName: m.sender.name })
          .onConflictDoNothing();
      }
      const [conv] = await tx
        .select()
        .from(channelConversations)
        .where(
          and(
            eq(channelConversations.channelId, channel.id),
            eq(channelConversations.externalConversationId, m.externalConversationId),
          ),
        )
        .for("update");
      let [ticket] = conv
        ? await tx.select().from(tickets).where(eq(tickets.id, conv.ticketId)).for("update")
        : [];
      const storeFiles = async (ticketId: string) => {
        const ids: string[] = [];
        for (const f of files) {
          try {
            const stored = await storeAttachment(txCtx, ticketId, {
              filename: f.filename,
              mimetype: f.contentType,
              stream: Readable.from([f.content]),
            });
            ids.push(stored.id);
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            withheld.push({ filename: f.filename, reason: e.message });
          }
        }
        return ids;
      };
      const sentAt = typeof m.timestamp === "number" ? new Date(m.timestamp * 1000) : new Date(m.timestamp);
      const metadata = {
        webhook: {
          channelId: channel.id,
          externalConversationId: m.externalConversationId,
          senderId: m.sender.id,
          inboundId,
          sentAt: Number.isNaN(sentAt.getTime()) ? null : sentAt.toISOString(),
          withheld,
        },
      };
      let message: MessageRow;
      if (!ticket || ticket.status === "closed") {
        const previous = ticket;
        const [created] = await createTickets(uow, [
          {
            input: {
              subject: subjectOf(m),
              requester: { id: contactId },
              channel: "webhook",
              priority: "normal",
              teamId: channel.teamId,
              tags: [],
            },
            message: {
              body: m.text,
              metadata,
              prepare: async (ticketId) => ({ attachmentIds: await storeFiles(ticketId), metadata }),
            },
          },
        ]);
        if (!created?.message) throw new Error("ticket vanished");
        ticket = created.ticket;
        message = created.message;
        if (conv)
          await tx
            .update(channelConversations)
            .set({ ticketId: ticket.id, updatedAt: ctx.now() })
            .where(eq(channelConversations.id, conv.id));
        else
          await tx.insert(channelConversations).values({
            channelId: channel.id,
            externalConversationId: m.externalConversationId,
            ticketId: ticket.id,
            createdAt: ctx.now(),
            updatedAt: ctx.now(),
          });
        if (previous)
          uow.record(
            ticket.id,
            "ticket.follow_up_of",
            { ticketId: previous.id, number: previous.number },
            SYSTEM,
          );
      } else {
        const added = await addTicketMessage(uow, ticket, {
          body: m.text,
          internal: false,
          attachmentIds: await storeFiles(ticket.id),
          authorType: "customer",
          authorContactId: contactId,
          channel: "webhook",
          metadata,
        });
        message = added.message;
      }
      await tx
        .update(channelInbound)
        .set({ status: "processed", ticketId: ticket.id, messageId: message.id, processedAt: ctx.now() })
        .where(eq(channelInbound.id, inboundId));
      return { ticketId: ticket.id, ticketNumber: Number(ticket.number), messageId: message.id };
    },
    { actor: SYSTEM },
  );
  return { status: "processed" as const, ...result };
}

/** The safety-net job: processes a stored call the request could not finish. */
export async function runInboundJob(ctx: Ctx, inboundId: string) {
  const [row] = await ctx.db.select().from(channelInbound).where(eq(channelInbound.id, inboundId));
  if (row?.status !== "received") return;
  const [channel] = await ctx.db.select().from(webhookChannels).where(eq(webhookChannels.id, row.channelId));
  if (!channel) return;
  const parsed = parseInbound(row.rawBody);
  if (!parsed.ok) {
    await ctx.db
      .update(channelInbound)
      .set({ status: "refused", error: parsed.error.slice(0, 2000), processedAt: ctx.now() })
      .where(eq(channelInbound.id, inboundId));
    return;
  }
  if ("type" in parsed.value) await applyStatus(ctx, channel, inboundId, parsed.value);
  else await processInbound(ctx, channel, inboundId, parsed.value);
}

/**
 * A delivery report from the bridge: the reply's status moves forward (sent -> delivered ->
 * read; failed with the reason). An unknown delivery id of this channel is a 404.
 */
export async function applyStatus(ctx: Ctx, channel: ChannelRow, inboundId: string, s: TInboundStatus) {
  return ctx.db.transaction(async (tx) => {
    const [out] = await tx
      .select({ messageId: channelOutbound.messageId, current: messages.deliveryStatus })
      .from(channelOutbound)
      .innerJoin(messages, eq(messages.id, channelOutbound.messageId))
      .where(and(eq(channelOutbound.id, s.deliveryId), eq(channelOutbound.channelId, channel.id)));
    if (!out) {
      await tx
        .update(channelInbound)
        .set({ status: "refused", error: "unknown deliveryId", processedAt: ctx.now() })
        .where(eq(channelInbound.id, inboundId));
      throw new AppError("not_found", 404, "No reply with this deliveryId on this channel");
    }
    const rank = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;
    const moves = s.status === "failed" || rank[s.status] > rank[out.current ?? "queued"];
    if (moves)
      await setMessageDelivery(
        tx,
        out.messageId,
        s.status,
        s.status === "failed" ? (s.error ?? "failed") : null,
        ctx.now(),
      );
    await tx
      .update(channelInbound)
      .set({ status: "processed", messageId: out.messageId, processedAt: ctx.now() })
      .where(eq(channelInbound.id, inboundId));
    return { status: "updated" as const, messageId: out.messageId, delivery: s.status };
  });
}
