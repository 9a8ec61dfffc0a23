import { and, eq, inArray, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import type { Ctx } from "../../context.ts";
import { resolveRequestersByEmail } from "../contacts/contacts.service.ts";
import { sideReplyKeys, sideToken } from "../sideconv/sideconv.service.ts";
import { createTickets } from "../tickets/pipeline.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import {
  blockRemoteImages,
  cleanSubject,
  type ParsedEmail,
  parseEmail,
  plusAddress,
  subjectTicketNumber,
} from "./email.parse.ts";
import { emailMessages, emailThreadKeys, inboundEmails } from "./email.table.ts";
import {
  addFollowers,
  emailRecord,
  findMailbox,
  ingest,
  markFailed,
  messageMetadata,
  type Outcome,
  type StoredInbound,
  threadKeyRows,
} from "./inbound.service.ts";
import { activeMailboxes } from "./mailboxes.service.ts";
import { queueAcknowledgement } from "./outbound.service.ts";

/** Emails one batch job takes at most (decision 0009). */
export const INBOUND_BATCH_MAX = 64;

type Item = { stored: StoredInbound; parsed: ParsedEmail };

/**
 * The batch job handler: parses and processes several stored emails in one transaction.
 * Emails that open a new ticket (most of the traffic) are written together, one statement
 * per table; the others (replies, bounces, duplicates, agents' mail, attachments) go through
 * `ingest` one by one inside the same transaction. If anything throws, nothing is written and
 * the worker runs each email's job alone (processInbound), which records per-email failures.
 */
export async function processInboundBatch(ctx: Ctx, inboundIds: string[]): Promise<void> {
  // In the order received (the jobs' order): a reply after its original, a duplicate after the first.
  const order = new Map(inboundIds.map((id, i) => [id, i]));
  const stored = (
    await ctx.db
      .select()
      .from(inboundEmails)
      .where(and(inArray(inboundEmails.id, inboundIds), eq(inboundEmails.status, "received")))
  ).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const items: Item[] = [];
  for (const s of stored) {
    try {
      items.push({ stored: s, parsed: await parseEmail(s.raw) });
    } catch (e) {
      await markFailed(ctx.db, s.id, `parse failed: ${(e as Error).message}`);
    }
  }
  if (items.length === 0) return;
  // As in processInbound: the raw emails are durable already, this commit need not wait.
  await withTransaction(
    ctx,
    async (uow) => {
      const { tx } = uow;
      const locked = await tx
        .select({ id: inboundEmails.id })
        .from(inboundEmails)
        .where(
          and(
            inArray(
              inboundEmails.id,
              items.map((i) => i.stored.id),
            ),
            eq(inboundEmails.status, "received"),
          ),
        )
        .for("update", { skipLocked: true });
      const mine = new Set(locked.map((r) => r.id));
      const outcomes = await ingestMany(
        uow,
        items.filter((i) => mine.has(i.stored.id)),
      );
      if (outcomes.length === 0) return;
      const values = sql.join(
        outcomes.map(
          ([id, o]) =>
            sql`(${id}::uuid, ${o.status}, ${o.error ?? null}, ${o.ticketId ?? null}::uuid, ${o.messageId ?? null}::uuid)`,
        ),
        sql`, `,
      );
      await tx.execute(sql`update inbound_emails e set status = v.status, error = v.error,
        ticket_id = v.ticket_id, message_id = v.message_id, processed_at = ${ctx.now().toISOString()}::timestamptz,
        attempts = e.attempts + 1
      from (values ${values}) as v(id, status, error, ticket_id, message_id) where e.id = v.id`);
    },
    { actor: SYSTEM, syncCommit: false },
  );
}

/** Everything a batch of emails does, inside the processing transaction; outcomes by inbound id. */
async function ingestMany(uow: Uow, items: Item[]): Promise<Array<[string, Outcome]>> {
  if (items.length === 0) return [];
  const { tx, ctx } = uow;
  const all = await activeMailboxes(tx);
  const own = new Set(all.map((m) => m.address.toLowerCase()));
  const fromOf = (i: Item) => i.parsed.from?.address ?? i.stored.envelopeFrom?.toLowerCase() ?? null;
  const threading = (p: ParsedEmail) =>
    [...p.inReplyTo, ...p.references, p.threadIndexRoot].filter((k): k is string => !!k);

  // Whole-batch reads: the Message-IDs already seen, and which senders are agents.
  const keys = [
    ...new Set(
      items.flatMap((i) => [...threading(i.parsed), i.parsed.messageId].filter((k): k is string => !!k)),
    ),
  ];
  const known = new Set(
    keys.length
      ? (
          await tx
            .select({ key: emailThreadKeys.key })
            .from(emailThreadKeys)
            .where(inArray(emailThreadKeys.key, keys))
        ).map((r) => r.key)
      : [],
  );
  const sideKeys = await sideReplyKeys(tx, keys);
  const froms = [...new Set(items.map(fromOf).filter((f): f is string => !!f))];
  const agents = new Set(
    froms.length
      ? (
          await tx
            .select({ email: users.email })
            .from(users)
            .where(and(inArray(sql`lower(${users.email})`, froms), eq(users.active, true)))
        ).map((r) => r.email.toLowerCase())
      : [],
  );

  // A new ticket from a customer goes in the batch; anything that may thread, repeat or
  // bounce is left to `ingest`, after the batch (so it sees the tickets the batch opened).
  const fresh: Item[] = [];
  const rest: Item[] = [];
  const seen = new Set<string>();
  for (const i of items) {
    const p = i.parsed;
    const from = fromOf(i);
    const recipients = [...i.stored.envelopeTo, ...p.to.map((a) => a.address), ...p.cc.map((a) => a.address)];
    const isNew =
      !!from &&
      !p.bounce &&
      !p.fromDaemon &&
      !own.has(plusAddress(from).base) &&
      !agents.has(from) &&
      !(p.messageId && (known.has(p.messageId) || seen.has(p.messageId))) &&
      !threading(p).some((k) => known.has(k) || seen.has(k)) &&
      subjectTicketNumber(p.subject) === null &&
      recipients.every((r) => plusAddress(r).ticketNumber === null) &&
      // Side conversations (modules/sideconv): a token in the address or a reference to one.
      recipients.every((r) => sideToken(r) === null) &&
      !threading(p).some((k) => sideKeys.has(k)) &&
      p.attachments.every((a) => a.content.length === 0);
    for (const k of [p.messageId, p.threadIndexRoot]) if (k) seen.add(k);
    (isNew ? fresh : rest).push(i);
  }

  const outcomes: Array<[string, Outcome]> = [];
  if (fresh.length) {
    const senders = await resolveRequestersByEmail(
      tx,
      fresh.map((i) => ({ email: fromOf(i) ?? "", name: i.parsed.from?.name || undefined })),
    );
    const plan = fresh.map((i) => {
      const p = i.parsed;
      const fromAddr = fromOf(i) ?? "";
      const requester = senders.get(fromAddr.toLowerCase());
      if (!requester) throw new Error(`no contact for ${fromAddr}`);
      const mailbox = findMailbox(all, i.stored, p);
      const blocked = blockRemoteImages(p.newHtml);
      return {
        i,
        fromAddr,
        mailbox,
        requester,
        draft: {
          input: {
            subject: cleanSubject(p.subject) || "(no subject)",
            requester: { id: requester.id },
            channel: "email" as const,
            priority: mailbox?.defaultPriority ?? "normal",
            teamId: mailbox?.teamId ?? null,
            tags: [],
          },
          requester,
          message: {
            body: p.newText,
            html: blocked.html,
            metadata: messageMetadata(i.stored, p, fromAddr, p.newHtml, blocked.count),
          },
        },
      };
    });
    const created = await createTickets(
      uow,
      plan.map((x) => x.draft),
    );
    const stamps = plan.map((x, n) => ({
      stored: x.i.stored,
      p: x.i.parsed,
      fromAddr: x.fromAddr,
      ticketId: created[n]?.ticket.id ?? "",
      messageId: created[n]?.message?.id ?? "",
    }));
    await tx
      .insert(emailMessages)
      .values(stamps.map((s) => emailRecord(s, { cidMap: new Map(), withheld: [] })));
    const keyRows = stamps.flatMap(threadKeyRows);
    if (keyRows.length) await tx.insert(emailThreadKeys).values(keyRows).onConflictDoNothing();
    for (const [n, x] of plan.entries()) {
      const c = created[n];
      if (!c?.message) continue;
      await addFollowers(tx, c.ticket, x.i.parsed, own, x.requester.id);
      if (x.mailbox?.ackEnabled && !x.i.parsed.autoSubmitted)
        await queueAcknowledgement(tx, ctx, {
          ticket: c.ticket,
          mailbox: x.mailbox,
          to: x.fromAddr,
          inReplyTo: x.i.parsed.messageId,
        });
      outcomes.push([x.i.stored.id, { status: "processed", ticketId: c.ticket.id, messageId: c.message.id }]);
    }
  }
  for (const i of rest) outcomes.push([i.stored.id, await ingest(uow, i.stored, i.parsed)]);
  return outcomes;
}
