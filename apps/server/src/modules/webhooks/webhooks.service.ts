import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { enqueue, enqueueMany } from "../../jobs/queue.ts";
import { type JobHandlers, PermanentJobError } from "../../jobs/worker.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { assertOutboundUrl, fetchOutbound, OutboundRefused } from "../../lib/ssrf.ts";
import type { AddedMessage, CreatedTicket, MessageRow, UpdatedTicket } from "../tickets/pipeline.ts";
import { pipelineSettings } from "../tickets/settings.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import type { TCreateWebhook, TDelivery, TUpdateWebhook, TWebhook } from "./webhooks.schema.ts";
import { webhookDeliveries, webhooks } from "./webhooks.table.ts";

export const WEBHOOK_EVENTS = ["ticket.created", "ticket.updated", "message.created", "csat.rated"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | "trigger" | "ping";
export const DELIVER_JOB = "webhooks.deliver";
export const SIGNATURE_HEADER = "x-rapport-signature";
export const MAX_ATTEMPTS = 6;
const TIMEOUT_MS = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: what receivers verify. */
export function sign(secret: string, body: string, timestamp: number): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** A receiver's check: the signature matches and is fresh (tolerance in seconds). */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSec: number,
  tolerance = 300,
) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSec - t) > tolerance) return false;
  const expected = Buffer.from(sign(secret, body, t).split("v1=")[1] ?? "", "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const ticketPayload = (t: TicketRow) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  channel: t.channel,
  requesterId: t.requesterId,
  assigneeId: t.assigneeId,
  teamId: t.teamId,
  tags: t.tags,
  language: t.language,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** Adds a delivery of one event to one webhook and its job, inside the caller's transaction. */
export async function queueDelivery(
  tx: DbOrTx,
  webhookId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
) {
  const [id] = await queueDeliveries(tx, [{ webhookId, event, data }]);
  if (!id) throw new Error("insert returned nothing");
  return id;
}

/** Several deliveries in one insert, and their jobs (inside a unit of work: with its last statement). */
export async function queueDeliveries(
  tx: DbOrTx,
  list: Array<{ webhookId: string; event: WebhookEvent; data: Record<string, unknown> }>,
) {
  if (list.length === 0) return [];
  // Ids made here, so inside a unit of work the rows can go with its last statement.
  const rows = list.map(() => ({ id: randomUUID() }));
  await writeLater(
    tx,
    tx
      .insert(webhookDeliveries)
      .values(
        list.map((d, n) => ({ id: rows[n]?.id, webhookId: d.webhookId, event: d.event, payload: d.data })),
      )
      .getSQL(),
  );
  await enqueueMany(
    tx,
    DELIVER_JOB,
    rows.map((r) => ({ payload: { deliveryId: r.id }, dedupeKey: r.id, maxAttempts: MAX_ATTEMPTS })),
  );
  return rows.map((r) => r.id);
}

/** The active webhooks subscribed to any of `events`. */
export async function subscribers(tx: DbOrTx, events: Array<(typeof WEBHOOK_EVENTS)[number]>) {
  const rows = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.active, true),
        sql`${webhooks.events} && array[${sql.join(
          events.map((e) => sql`${e}`),
          sql`, `,
        )}]::text[]`,
      ),
    );
  return rows.map((r) => r.id);
}

type Attempt = { status: number | null; durationMs: number; error: string | null };

/** The delivery job: one signed POST. 2xx succeeds; 5xx, 408, 429 and network errors retry with backoff. */
export async function deliver(ctx: Ctx, deliveryId: string): Promise<void> {
  const [row] = await ctx.db
    .select({ d: webhookDeliveries, w: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row || row.d.status === "success") return;
  const { d, w } = row;
  if (!w.active) throw new PermanentJobError("The webhook is disabled");
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const body = JSON.stringify({
    id: d.id,
    event: d.event,
    createdAt: d.createdAt.toISOString(),
    data: d.payload,
  });
  const started = performance.now();
  const attempt: Attempt = { status: null, durationMs: 0, error: null };
  let permanent = false;
  try {
    // Through the SSRF guard; a 3xx is the answer (redirects are not followed for a POST).
    const res = await fetchOutbound(w.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Rapport-Webhooks/1",
        "x-rapport-event": d.event,
        "x-rapport-delivery": d.id,
        [SIGNATURE_HEADER]: sign(w.secret, body, timestamp),
      },
      timeoutMs: TIMEOUT_MS,
      maxBytes: 4096, // read and dropped: the log keeps the status only
    });
    attempt.status = res.status;
    if (res.status < 200 || res.status >= 300) {
      attempt.error = `HTTP ${res.status}`;
      permanent = res.status >= 400 && res.status < 500 && ![408, 429].includes(res.status);
    }
  } catch (e) {
    if (!(e instanceof OutboundRefused)) throw e;
    // One neutral reason for every refusal and network failure: the log is no port scanner.
    attempt.error = e.message;
    permanent = e.blocked;
  }
  attempt.durationMs = Math.round(performance.now() - started);
  const ok = attempt.error === null;
  await ctx.db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      responseCode: attempt.status,
      durationMs: attempt.durationMs,
      error: attempt.error?.slice(0, 1000) ?? null,
      lastAttemptAt: ctx.now(),
      ...(ok ? { status: "success" as const, deliveredAt: ctx.now() } : {}),
    })
    .where(eq(webhookDeliveries.id, d.id));
  if (!ok) {
    const message = attempt.error ?? "failed";
    throw permanent ? new PermanentJobError(message) : new Error(message);
  }
}

export const webhookJobHandlers: JobHandlers = {
  [DELIVER_JOB]: {
    run: async (ctx, job) => deliver(ctx, String((job.payload as { deliveryId?: unknown }).deliveryId ?? "")),
    onFailure: async (ctx, job, _error, willRetry) => {
      if (willRetry) return;
      const id = String((job.payload as { deliveryId?: unknown }).deliveryId ?? "");
      await ctx.db.update(webhookDeliveries).set({ status: "failed" }).where(eq(webhookDeliveries.id, id));
    },
  },
};

// ---- admin API ----

const newSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

function toWebhook(w: typeof webhooks.$inferSelect, withSecret = false): TWebhook {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    events: w.events,
    active: w.active,
    secretHint: `…${w.secret.slice(-4)}`,
    ...(withSecret ? { secret: w.secret } : {}),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export async function listWebhooks(ctx: Ctx): Promise<TWebhook[]> {
  requireCan(ctx.actor, "webhooks.manage");
  const rows = await ctx.db.select().from(webhooks).orderBy(webhooks.name);
  return rows.map((w) => toWebhook(w));
}

async function loadWebhook(db: DbOrTx, id: string) {
  const [w] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  if (!w) throw notFound("Webhook");
  return w;
}

export async function createWebhook(ctx: Ctx, input: TCreateWebhook): Promise<TWebhook> {
  const admin = requireCan(ctx.actor, "webhooks.manage");
  await assertOutboundUrl(input.url, "url");
  const [w] = await ctx.db
    .insert(webhooks)
    .values({ ...input, events: [...new Set(input.events)], secret: newSecret(), createdBy: admin.userId })
    .returning();
  if (!w) throw new Error("insert returned nothing");
  return toWebhook(w, true);
}

export async function updateWebhook(ctx: Ctx, id: string, input: TUpdateWebhook): Promise<TWebhook> {
  requireCan(ctx.actor, "webhooks.manage");
  await loadWebhook(ctx.db, id);
  if (input.url) await assertOutboundUrl(input.url, "url");
  const [w] = await ctx.db
    .update(webhooks)
    .set({ ...input, ...(input.events ? { events: [...new Set(input.events)] } : {}), updatedAt: ctx.now() })
    .where(eq(webhooks.id, id))
    .returning();
  if (!w) throw notFound("Webhook");
  return toWebhook(w);
}

export async function rotateSecret(ctx: Ctx, id: string): Promise<TWebhook> {
  requireCan(ctx.actor, "webhooks.manage");
  await loadWebhook(ctx.db, id);
  const [w] = await ctx.db
    .update(webhooks)
    .set({ secret: newSecret(), updatedAt: ctx.now() })
    .where(eq(webhooks.id, id))
    .returning();
  if (!w) throw notFound("Webhook");
  return toWebhook(w, true);
}

export async function deleteWebhook(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "webhooks.manage");
  const rows = await ctx.db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
  if (rows.length === 0) throw notFound("Webhook");
}

export async function sendPing(ctx: Ctx, id: string): Promise<{ deliveryId: string }> {
  requireCan(ctx.actor, "webhooks.manage");
  await loadWebhook(ctx.db, id);
  const deliveryId = await ctx.db.transaction((tx) =>
    queueDelivery(tx, id, "ping", { message: "Rapport webhook test" }),
  );
  return { deliveryId };
}

const toDelivery = (d: typeof webhookDeliveries.$inferSelect): TDelivery => ({
  id: d.id,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  responseCode: d.responseCode,
  durationMs: d.durationMs,
  error: d.error,
  payload: d.payload,
  createdAt: d.createdAt.toISOString(),
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

export async function listDeliveries(ctx: Ctx, id: string, q: { before?: string; limit: number }) {
  requireCan(ctx.actor, "webhooks.manage");
  await loadWebhook(ctx.db, id);
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, id),
        q.before ? lt(webhookDeliveries.createdAt, new Date(q.before)) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit);
  return rows.map(toDelivery);
}

/** Sends a failed delivery again (a new job; the log keeps counting attempts). */
export async function retryDelivery(ctx: Ctx, id: string, deliveryId: string) {
  requireCan(ctx.actor, "webhooks.manage");
  const [d] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, id)));
  if (!d) throw notFound("Delivery");
  if (d.status !== "failed") throw badRequest("Only a failed delivery can be sent again");
  await ctx.db.transaction(async (tx) => {
    await tx.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, d.id));
    await enqueue(
      tx,
      DELIVER_JOB,
      { deliveryId: d.id },
      {
        dedupeKey: `${d.id}:retry:${ctx.now().getTime()}`,
        maxAttempts: MAX_ATTEMPTS,
      },
    );
  });
  return toDelivery({ ...d, status: "pending" });
}

// ---- pipeline steps: ticket events queued in the ticket's transaction (sent after commit)

const subscribedTo = async (uow: Uow, events: Array<(typeof WEBHOOK_EVENTS)[number]>) =>
  (await pipelineSettings(uow)).webhooks
    .filter((w) => w.events.some((e) => (events as string[]).includes(e)))
    .map((w) => w.id);

type Delivery = Parameters<typeof queueDeliveries>[1][number];

/** Deliveries of a unit of work, written together in one insert before it commits. */
async function queueInUnit(uow: Uow, list: Delivery[]) {
  if (list.length === 0) return;
  const outbox = await uow.memo("webhooks:outbox", async () => [] as Delivery[]);
  outbox.push(...list);
  uow.beforeCommit("webhooks:outbox", async () => {
    await queueDeliveries(uow.tx, outbox.splice(0));
  });
}

const messagePayload = (ticket: TicketRow, message: MessageRow) => ({
  ticket: { id: ticket.id, number: ticket.number },
  message: {
    id: message.id,
    authorType: message.authorType,
    internal: message.internal,
    channel: message.channel,
    bodyText: message.bodyText,
    createdAt: message.createdAt.toISOString(),
  },
});

/** Creation step: ticket.created (the ticket as the steps left it) and its first message. */
export async function webhooksOnCreate(uow: Uow, items: CreatedTicket[]) {
  if (uow.quiet) return;
  const created = await subscribedTo(uow, ["ticket.created"]);
  const posted = await subscribedTo(uow, ["message.created"]);
  await queueInUnit(
    uow,
    items.flatMap(({ ticket, message }) => [
      ...created.map((webhookId) => ({
        webhookId,
        event: "ticket.created" as const,
        data: { ticket: ticketPayload(ticket) },
      })),
      ...(message
        ? posted.map((webhookId) => ({
            webhookId,
            event: "message.created" as const,
            data: messagePayload(ticket, message),
          }))
        : []),
    ]),
  );
}

/** Update step: ticket.updated with every change of the unit (the caller's and the steps'). */
export async function webhooksOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  if (uow.quiet) return;
  const ids = await subscribedTo(uow, ["ticket.updated"]);
  await queueInUnit(
    uow,
    items.flatMap(({ ticket, changes }) =>
      ids.map((webhookId) => ({
        webhookId,
        event: "ticket.updated" as const,
        data: { ticket: ticketPayload(ticket), changes },
      })),
    ),
  );
}

/** Message step: message.created. */
export async function webhooksOnMessage(uow: Uow, items: AddedMessage[]) {
  if (uow.quiet) return;
  const ids = await subscribedTo(uow, ["message.created"]);
  await queueInUnit(
    uow,
    items.flatMap(({ before, message }) =>
      ids.map((webhookId) => ({
        webhookId,
        event: "message.created" as const,
        data: messagePayload(before, message),
      })),
    ),
  );
}
