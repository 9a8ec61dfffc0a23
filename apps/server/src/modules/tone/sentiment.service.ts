import type { Sentiment } from "@rapport/shared";
import { notify } from "../notifications/notifications.service.ts";
import type { AddedMessage, CreatedTicket } from "../tickets/pipeline.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { scoreSentiment, worseSentiment } from "./sentiment.ts";

/**
 * The angry-customer flag in the ticket pipeline (decision 0010; the scorer is sentiment.ts).
 * Every public customer message gets a sentiment; the ticket carries the latest
 * (`tickets.sentiment`) and the worst so far (`tickets.worst_sentiment`), which triggers,
 * SLA policies and custom views can use. When a ticket turns negative, its assignee and its
 * team's managers get a notice (`ticket.negative_sentiment`).
 */

/** A new ticket's first message, scored before the insert (createTickets): no extra statement. */
export function firstMessageSentiment(bodyText: string, lang: string | null) {
  const { sentiment, score } = scoreSentiment(bodyText, lang ?? "en");
  return { sentiment, score };
}

/**
 * A public customer message on an existing ticket, scored before its insert
 * (insertMessageRow): the message's sentiment and score, and the ticket's new worst.
 */
export function scoreCustomerMessage(bodyText: string, lang: string | null, worstBefore: Sentiment | null) {
  const { sentiment, score } = scoreSentiment(bodyText, lang ?? "en");
  return { sentiment, score, worst: worseSentiment(worstBefore, sentiment) };
}

const turnedNegative = (before: Sentiment | null, now: Sentiment | null) =>
  now === "negative" && before !== "negative";

/** Creation step (after routing, so the assignee is known): notices for new negative tickets. */
export async function sentimentOnCreate(uow: Uow, items: CreatedTicket[]) {
  await noticeNegative(
    uow,
    items.filter((i) => i.message && turnedNegative(null, i.ticket.sentiment)).map((i) => i.ticket),
  );
}

/**
 * Message step (first, so triggers see it): each public customer message was scored before its
 * insert (insertMessageRow wrote the message's and the ticket's sentiment). This step records
 * the ticket's change (`sentiment`, `worstSentiment`) when it turns negative or recovers, for
 * triggers ("changed to negative") and the update steps after them (an SLA policy chosen by
 * sentiment is re-selected), and sends the notice when it turns negative. No statement of its
 * own unless a notice goes out.
 */
export async function sentimentOnMessage(uow: Uow, items: AddedMessage[]) {
  const negative: TicketRow[] = [];
  for (const item of items) {
    const { message, before, ticket, input } = item;
    if (input.authorType !== "customer" || message.internal || !message.sentiment) continue;
    const sentiment = message.sentiment;
    // A change that matters: turning negative or recovering from it (neutral and positive drift
    // is stored but fires no trigger, SLA re-selection or ticket.updated event).
    if (before.sentiment !== sentiment && (before.sentiment === "negative" || sentiment === "negative"))
      item.changes.sentiment = { from: before.sentiment, to: sentiment };
    if (before.worstSentiment !== ticket.worstSentiment && ticket.worstSentiment === "negative")
      item.changes.worstSentiment = { from: before.worstSentiment, to: ticket.worstSentiment };
    if (turnedNegative(before.sentiment, sentiment)) negative.push(ticket);
  }
  await noticeNegative(uow, negative);
}

/**
 * The assignee and the team's managers of each ticket that turned negative (the managers are
 * read with the recipients' preferences, in one statement).
 */
async function noticeNegative(uow: Uow, list: TicketRow[]) {
  if (list.length === 0 || uow.quiet) return;
  const notice = (t: TicketRow) => ({
    kind: "ticket.negative_sentiment" as const,
    ticketId: t.id,
    link: `/tickets/${t.id}`,
    params: { number: t.number, subject: t.subject },
  });
  await notify(
    uow,
    list.flatMap((t) => (t.assigneeId ? [{ ...notice(t), userId: t.assigneeId }] : [])),
    list.flatMap((t) =>
      t.teamId ? [{ teamId: t.teamId, except: t.assigneeId ? [t.assigneeId] : [], notice: notice(t) }] : [],
    ),
  );
}
