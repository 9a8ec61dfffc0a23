/**
 * The ticket write path (decision 0010): what happens, in order, when tickets are created,
 * changed, or get a message. Every caller (the agent API, email one by one and batched, chat,
 * phone, web forms, the webhook channel, imports, the demo seed, triggers and time rules)
 * goes through these three functions inside a unit of work (`withTransaction`). A single
 * ticket is a batch of one. A step is a plain function over the items it is handed; the rows
 * in them are the current ones, so no step reads a ticket back. A module that needs to act on
 * ticket writes adds its step to a list here: nothing registers itself by being imported.
 *
 * Creating tickets (`createTickets`):
 *   1. custom fields validated and normalized          fields
 *   2. requester resolved; language detected from the subject and first message; the first
 *      customer message's sentiment scored (the angry-customer flag)     tone/sentiment
 *   3. insert: tickets, first messages, their attachments and timeline events
 *   4. triggers ("ticket created"; may set team, priority, tags, assignee)   automations
 *   5. routing (assigns a team's ticket; sees the team triggers chose)      routing
 *   6. a negative new ticket: notice to its assignee and team managers      tone/sentiment
 *   7. SLA clocks (see the priority and team triggers and routing left)    sla
 *   8. a service self-check's ticket linked to its run (the signed marker in the first
 *      message, taken out in step 2-3), tagged when agents are told          selfchecks
 *   9. what steps 4-8 changed, written once per ticket
 *  10. outgoing webhooks (ticket.created, message.created)                 webhooks
 *  11. realtime events, published after commit
 * Changing tickets (`runUpdateSteps`, after the change is written):
 *   1. open promises block solving without confirmation   promises
 *   2. triggers ("ticket updated")                         automations
 *   3. transfers recorded, a ticket moved to a team routed routing
 *   4. SLA: pause, resume, meet, re-select the policy      sla
 *   5. satisfaction survey scheduled on solve (job in this transaction), discarded on reopen   csat
 *   6. outgoing webhooks (ticket.updated)                  webhooks
 *   7. realtime event
 * Adding a message (`addTicketMessage`):
 *   1. a customer message's sentiment; the ticket's latest and worst; a notice
 *      when the ticket turns negative                                       tone/sentiment
 *   2. SLA: a reply meets response clocks, a customer message resumes them   sla
 *   3. a customer reply reopening a solved ticket discards its survey       csat
 *   4. a self-check's first human answer: the run answered, the ticket closed by a job   selfchecks
 *   5. triggers ("customer replied" / "agent replied")                      automations
 *   6. outgoing webhooks (message.created)                                  webhooks
 *   7. the reply sent on its channel: email, the webhook channel            email, channels
 *   8. an agent's reply or note: tone findings and suggestions taken       tone
 *   9. realtime event
 *  10. changes of steps 1 and 5: the update steps after triggers (3-7 above)
 */
import { randomUUID } from "node:crypto";
import type { Channel } from "@rapport/shared";
import { eq, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { insertRows } from "../../db/prepared.ts";
import { tsvectorLiteral } from "../../lib/search.ts";
import { triggersOnCreate, triggersOnMessage, triggersOnUpdate } from "../automations/triggers.service.ts";
import { queueChannelReplies } from "../channels/outbound.ts";
import { type ContactRow, resolveRequester } from "../contacts/contacts.service.ts";
import { csatOnMessage, csatOnUpdate } from "../csat/csat.service.ts";
import { queueEmailReplies } from "../email/outbound.service.ts";
import { validateTicketFields } from "../fields/fields.service.ts";
import { promisesOnUpdate } from "../promises/promises.service.ts";
import { detectLanguage } from "../routing/language.ts";
import { routeOnCreate, routeOnUpdate } from "../routing/routing.service.ts";
import { checkOnEntry, takeCheckMarker } from "../selfchecks/selfchecks.marker.ts";
import { selfChecksOnCreate, selfChecksOnMessage } from "../selfchecks/selfchecks.service.ts";
import { slaOnCreate, slaOnMessage, slaOnUpdate } from "../sla/clocks.ts";
import { firstMessageSentiment, sentimentOnCreate, sentimentOnMessage } from "../tone/sentiment.service.ts";
import { toneOnMessage } from "../tone/tone.service.ts";
import { webhooksOnCreate, webhooksOnMessage, webhooksOnUpdate } from "../webhooks/webhooks.service.ts";
import {
  insertMessageRow,
  linkAttachments,
  type NewMessage,
  renderBody,
  renderBodyText,
} from "./messages.service.ts";
import type { TCreateTicket } from "./tickets.schema.ts";
import { newTicketValues, type TicketRow } from "./tickets.service.ts";
import { messages, tickets } from "./tickets.table.ts";
import type { Uow } from "./unit-of-work.ts";

export type TicketChanges = Record<string, { from: unknown; to: unknown }>;
export type MessageRow = typeof messages.$inferSelect;

/**
 * A new ticket in the creation steps. `changes`: what steps changed after the insert, kept in
 * `deferred` and written once by `writeCreated`.
 */
export type CreatedTicket = {
  ticket: TicketRow;
  message: MessageRow | null;
  changes: TicketChanges;
  deferred: Partial<TicketRow>;
};
/** A changed ticket in the update steps; `changes` gathers the steps' own changes too. */
export type UpdatedTicket = {
  prev: TicketRow;
  ticket: TicketRow;
  changes: TicketChanges;
  /** What the caller confirmed (`confirm` in PATCH /tickets/:id, e.g. "open_promises"). */
  confirmations: string[];
  /** The reason of a transfer (POST /tickets/:id/transfer). */
  reason?: string;
};
/** A written message in the message steps: the ticket `before` it, and as it is now. */
export type AddedMessage = {
  before: TicketRow;
  /** The row right after the message was written (before the steps changed it). */
  written: TicketRow;
  ticket: TicketRow;
  message: MessageRow;
  input: NewMessage;
  changes: TicketChanges;
  /** The status the message moved the ticket to (a customer reply reopens a solved ticket). */
  statusChange?: { from: string; to: string };
};

export type Step<I> = (uow: Uow, items: I[]) => Promise<void>;

/** The first message of a new ticket: from its requester. */
export type FirstMessage = {
  body?: string;
  html?: string;
  internal?: boolean;
  metadata?: Record<string, unknown>;
  attachmentIds?: string[];
  /**
   * Runs once the ticket exists, before the message is written (channels store its files
   * then): more attachment ids, and the body's HTML and metadata when they depend on them.
   */
  prepare?: (
    ticketId: string,
  ) => Promise<{ attachmentIds: string[]; html?: string; metadata?: Record<string, unknown> }>;
};
export type TicketDraft = {
  input: TCreateTicket;
  /** The requester, when the caller resolved it already (else from `input.requester`). */
  requester?: ContactRow;
  message?: FirstMessage;
};

// Lists, not constants: a step's module may import this file (an import cycle), so the
// lists are read when a write runs, never while modules load.
const createSteps = (): Array<Step<CreatedTicket>> => [
  triggersOnCreate,
  routeOnCreate,
  sentimentOnCreate,
  slaOnCreate,
  selfChecksOnCreate,
  writeCreated,
  webhooksOnCreate,
  publishCreated,
];
const updateSteps = (): Array<Step<UpdatedTicket>> => [
  promisesOnUpdate,
  triggersOnUpdate,
  routeOnUpdate,
  slaOnUpdate,
  csatOnUpdate,
  webhooksOnUpdate,
  publishUpdated,
];
const messageSteps = (): Array<Step<AddedMessage>> => [
  sentimentOnMessage,
  slaOnMessage,
  csatOnMessage,
  selfChecksOnMessage,
  triggersOnMessage,
  webhooksOnMessage,
  queueEmailReplies,
  queueChannelReplies,
  toneOnMessage,
  publishMessages,
  updatesFromMessageSteps,
];

/** The order of the steps by name, for the documentation test. */
export const stepNames = () => ({
  create: createSteps().map((s) => s.name),
  update: updateSteps().map((s) => s.name),
  message: messageSteps().map((s) => s.name),
});

async function run<I>(uow: Uow, steps: Array<Step<I>>, items: I[]) {
  if (items.length === 0) return;
  for (const step of steps) await step(uow, items);
}

/** Creates tickets, each with its first message if it has one: the creation steps above. */
export async function createTickets(uow: Uow, drafts: TicketDraft[]): Promise<CreatedTicket[]> {
  if (drafts.length === 0) return [];
  await validateTicketFields(
    uow,
    drafts.map((d) => d.input),
  );
  const now = uow.ctx.now();
  const rows: Array<ReturnType<typeof newTicketValues> & { id: string }> = [];
  const detected = new Set<string>();
  const sentiments = new Map<string, ReturnType<typeof firstMessageSentiment>>();
  const firstMessages: Array<FirstMessage | undefined> = [];
  for (const d of drafts) {
    const requester = d.requester ?? (await resolveRequester(uow.tx, d.input.requester));
    const values: ReturnType<typeof newTicketValues> & { id: string; selfCheckRunId?: string } = {
      id: randomUUID(),
      ...newTicketValues(d.input, requester, now),
    };
    // A service self-check enters by a customer channel with its signed marker (modules/selfchecks).
    const check = d.message ? checkOnEntry(uow.ctx.config, d.input.channel, d.message) : null;
    if (check?.runId) values.selfCheckRunId = check.runId;
    const m = check?.message ?? d.message;
    firstMessages.push(m);
    const body = m ? renderBodyText(m) : "";
    if (!values.language) {
      values.language = detectLanguage(`${values.subject}\n${body}`);
      detected.add(values.id);
    }
    if (m) {
      const isPublic = !m.internal;
      Object.assign(values, {
        messageCount: 1,
        lastMessageAt: now,
        ...(isPublic ? { lastCustomerMessageAt: now } : {}),
      });
      if (isPublic) {
        const scored = firstMessageSentiment(body, values.language);
        sentiments.set(values.id, scored);
        Object.assign(values, { sentiment: scored.sentiment, worstSentiment: scored.sentiment });
      }
    }
    rows.push(values);
  }
  const inserted = await insertRows(uow.tx, tickets, rows, { returning: true });
  const byId = new Map(inserted.map((t) => [t.id, t]));
  const items: CreatedTicket[] = rows.map((r) => {
    const ticket = byId.get(r.id);
    if (!ticket) throw new Error("insert returned fewer rows");
    return { ticket, message: null, changes: {}, deferred: {} };
  });

  const withMessage = drafts.flatMap((_, i) => {
    const message = firstMessages[i];
    return message && items[i] ? [{ message, item: items[i] }] : [];
  });
  const files = new Map<string, string[]>();
  const prepared = new Map<string, FirstMessage>();
  for (const { message, item } of withMessage) {
    let m = { ...message };
    if (m.prepare) Object.assign(m, await m.prepare(item.ticket.id));
    if (item.ticket.selfCheckRunId) m = takeCheckMarker(uow.ctx.config, m).message;
    const ids = [...new Set([...(message.attachmentIds ?? []), ...(m.attachmentIds ?? [])])];
    if (ids.length) files.set(item.ticket.id, ids);
    prepared.set(item.ticket.id, m);
  }
  if (withMessage.length) {
    const written = await insertRows(
      uow.tx,
      messages,
      withMessage.map(({ item }) => ({
        ...messageValues(item.ticket.id, {
          ...prepared.get(item.ticket.id),
          internal: prepared.get(item.ticket.id)?.internal ?? false,
          authorType: "customer",
          authorContactId: item.ticket.requesterId,
          channel: item.ticket.channel as Channel,
        }),
        sentiment: sentiments.get(item.ticket.id)?.sentiment ?? null,
        sentimentScore: sentiments.get(item.ticket.id)?.score ?? null,
        createdAt: now,
      })),
      { returning: true },
    );
    for (const [n, { item }] of withMessage.entries()) {
      const message = written[n];
      if (!message) throw new Error("insert returned fewer rows");
      item.message = message;
      const ids = files.get(item.ticket.id);
      if (ids) await linkAttachments(uow.tx, item.ticket.id, message.id, ids);
    }
  }
  for (const { ticket, message } of items) {
    uow.record(ticket.id, "ticket.created", {
      status: ticket.status,
      priority: ticket.priority,
      channel: ticket.channel,
      assigneeId: ticket.assigneeId,
      teamId: ticket.teamId,
    });
    if (message)
      uow.record(ticket.id, message.internal ? "note.added" : "reply.added", {
        messageId: message.id,
        authorType: "customer",
      });
    if (detected.has(ticket.id))
      uow.record(ticket.id, "language.detected", { language: ticket.language }, SYSTEM);
  }
  await run(uow, createSteps(), items);
  return items;
}

/** The row of a new message (shared by creation and insertMessageRow). */
export function messageValues(ticketId: string, m: NewMessage) {
  const { bodyText, bodyHtml } = renderBody(m);
  return {
    id: randomUUID(),
    ticketId,
    authorType: m.authorType,
    authorUserId: m.authorUserId ?? null,
    authorContactId: m.authorContactId ?? null,
    internal: m.internal,
    channel: m.channel,
    bodyText,
    bodyHtml,
    metadata: m.metadata ?? {},
    searchVector: tsvectorLiteral([{ text: bodyText, weight: "B" }]),
  };
}

/** Runs the update steps over tickets whose change is written (`items[].changes` not empty). */
export async function runUpdateSteps(uow: Uow, items: UpdatedTicket[]) {
  await run(
    uow,
    updateSteps(),
    items.filter((i) => Object.keys(i.changes).length > 0),
  );
}

/** Writes a message on a ticket, then the message steps. `ticket` is the locked, current row. */
export async function addTicketMessage(uow: Uow, ticket: TicketRow, m: NewMessage): Promise<AddedMessage> {
  const item = await insertMessageRow(uow, ticket, m);
  await run(uow, messageSteps(), [item]);
  return item;
}

// ---- the steps this file owns

/**
 * Writes what the creation steps changed on the new rows: one update per ticket with changes,
 * and one for all tickets whose only change is their SLA due time (a batch of emails).
 */
async function writeCreated(uow: Uow, items: CreatedTicket[]) {
  const dueOnly: CreatedTicket[] = [];
  for (const item of items) {
    const keys = Object.keys(item.deferred);
    if (keys.length === 0) continue;
    if (keys.length === 1 && keys[0] === "nextDueAt") dueOnly.push(item);
    else await uow.tx.update(tickets).set(item.deferred).where(eq(tickets.id, item.ticket.id));
    item.deferred = {};
  }
  if (dueOnly.length === 0) return;
  const values = sql.join(
    dueOnly.map(
      (i) => sql`(${i.ticket.id}::uuid, ${i.ticket.nextDueAt?.toISOString() ?? null}::timestamptz)`,
    ),
    sql`, `,
  );
  await uow.tx.execute(sql`update tickets t set next_due_at = v.due from (values ${values}) as v(id, due)
    where t.id = v.id`);
}

// Realtime events (published by the unit of work after commit).

async function publishCreated(uow: Uow, items: CreatedTicket[]) {
  for (const { ticket, message } of items) {
    const refs = { ticketId: ticket.id, teamId: ticket.teamId, assigneeId: ticket.assigneeId };
    uow.publish({ type: "ticket.created", ...refs, status: ticket.status });
    if (message)
      uow.publish({
        type: "message.created",
        ...refs,
        messageId: message.id,
        channel: ticket.channel,
        internal: message.internal,
        authorType: message.authorType,
      });
  }
}

async function publishUpdated(uow: Uow, items: UpdatedTicket[]) {
  for (const { ticket, changes } of items)
    uow.publish({
      type: "ticket.updated",
      ticketId: ticket.id,
      teamId: ticket.teamId,
      assigneeId: ticket.assigneeId,
      status: ticket.status,
      changes,
    });
}

async function publishMessages(uow: Uow, items: AddedMessage[]) {
  for (const { before, message, statusChange } of items)
    uow.publish({
      type: "message.created",
      ticketId: before.id,
      messageId: message.id,
      channel: before.channel,
      teamId: before.teamId,
      assigneeId: before.assigneeId,
      internal: message.internal,
      authorType: message.authorType,
      ...(statusChange ? { statusChange } : {}),
    });
}

/**
 * What triggers changed while a message was handled goes through the update steps that
 * come after triggers (triggers do not run again on their own changes).
 */
async function updatesFromMessageSteps(uow: Uow, items: AddedMessage[]) {
  const changed = items.filter((i) => Object.keys(i.changes).length > 0);
  if (changed.length === 0) return;
  await runStepsAfterTriggers(
    uow,
    changed.map((i) => ({ prev: i.written, ticket: i.ticket, changes: i.changes, confirmations: [] })),
  );
}

/**
 * The update steps that come after triggers, for what triggers changed outside a ticket
 * update (a customer's message, a satisfaction rating): triggers do not run on their own changes.
 */
export async function runStepsAfterTriggers(uow: Uow, items: UpdatedTicket[]) {
  const after = updateSteps();
  await run(
    uow,
    after.slice(after.indexOf(triggersOnUpdate) + 1),
    items.filter((i) => Object.keys(i.changes).length > 0),
  );
}
