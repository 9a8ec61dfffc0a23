/** Ticket creation: through the HTTP API, and the raw-SQL baseline doing the same writes. */
import { foldText } from "@rapport/shared";
import type pg from "pg";
import { textToHtml } from "../apps/server/src/lib/html.ts";
import { tsvectorLiteral } from "../apps/server/src/lib/search.ts";
import { ticketSearchVector } from "../apps/server/src/modules/tickets/tickets.service.ts";
import type { httpClient } from "./measure.ts";

/** Every ticket the bench creates carries this tag, so the run removes them afterwards. */
export const LOAD_TAG = "benchload";

const input = (emails: string[], i: number) => {
  const n = Math.abs(i);
  return {
    subject: `Order ${100000 + n} has not arrived yet`,
    email: emails[n % emails.length] as string,
    body: `Hello, my order ${100000 + n} is late. The tracking page has not changed for a week. Can you help?`,
  };
};

export async function createViaApi(http: ReturnType<typeof httpClient>, emails: string[], i: number) {
  const x = input(emails, i);
  await http.post("/tickets", {
    subject: x.subject,
    requester: { email: x.email },
    message: { body: x.body },
    channel: "email",
    tags: [LOAD_TAG],
  });
}

/** The same inserts createTicket() makes, hand-written, in one transaction. */
export async function createBaseline(pool: pg.Pool, emails: string[], i: number, agentId: string) {
  const x = input(emails, i);
  const client = await pool.connect();
  try {
    await client.query("begin");
    const c = await client.query(
      "select c.id, c.language from contact_emails e join contacts c on c.id = e.contact_id where lower(e.email) = $1",
      [x.email.toLowerCase()],
    );
    const requester = c.rows[0];
    if (!requester) throw new Error(`no contact for ${x.email}`);
    const now = new Date();
    const t = await client.query(
      `insert into tickets (subject, status, priority, channel, requester_id, tags, language, subject_folded,
         search_vector, created_at, updated_at)
       values ($1, 'new', 'normal', 'email', $2, $3, $4, $5, $6, $7, $7) returning *`,
      [
        x.subject,
        requester.id,
        [LOAD_TAG],
        requester.language,
        foldText(x.subject),
        ticketSearchVector(x.subject, [LOAD_TAG]),
        now,
      ],
    );
    const ticketId = t.rows[0].id;
    await client.query(
      "insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at) values ($1, 'ticket.created', 'agent', $2, $3, $4)",
      [
        ticketId,
        agentId,
        { status: "new", priority: "normal", channel: "email", assigneeId: null, teamId: null },
        now,
      ],
    );
    const m = await client.query(
      `insert into messages (ticket_id, author_type, author_contact_id, internal, channel, body_text, body_html,
         search_vector, created_at)
       values ($1, 'customer', $2, false, 'email', $3, $4, $5, $6) returning *`,
      [
        ticketId,
        requester.id,
        x.body,
        textToHtml(x.body),
        tsvectorLiteral([{ text: x.body, weight: "B" }]),
        now,
      ],
    );
    await client.query(
      `update tickets set message_count = message_count + 1, last_message_at = $2, updated_at = $2,
         last_customer_message_at = $2 where id = $1`,
      [ticketId, now],
    );
    await client.query(
      "insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at) values ($1, 'reply.added', 'agent', $2, $3, $4)",
      [ticketId, agentId, { messageId: m.rows[0].id, authorType: "customer" }, now],
    );
    await client.query("commit");
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
}
