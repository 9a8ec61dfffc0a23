import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../auth/actor.ts";
import { withActor } from "../../context.ts";
import { ALLOW_PRIVATE_ENV } from "../../lib/ssrf.ts";
import { type Api, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";
import "./email.runtime.ts";
import { processInboundBatch } from "./inbound.batch.ts";
import { processInbound, storeInbound } from "./inbound.service.ts";

/**
 * Batch ingestion (decision 0009): a batch of emails must leave exactly what processing them
 * one at a time leaves: tickets, messages, contacts, events, SLA clocks, thread keys,
 * acknowledgements, triggers and webhooks; and threading and duplicates inside one batch.
 */
let t: TestApp;
let admin: Api;
let n = 0;
const rows = async <T>(q: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(q)) as unknown as { rows: T[] }).rows;

function mail(o: { from: string; subject: string; id: string; inReplyTo?: string; body?: string }) {
  return Buffer.from(
    [
      `From: "${o.from.split("@")[0]}" <${o.from}>`,
      "To: support@batch.test",
      `Subject: ${o.subject}`,
      `Message-ID: <${o.id}>`,
      ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      o.body ?? "Hello, my order has not arrived yet. Could you check please?",
      "",
    ].join("\r\n"),
  );
}

async function store(raws: Buffer[]) {
  const ids: string[] = [];
  for (const raw of raws) {
    const id = await storeInbound(t.services, { mailboxId: null, source: "smtp", raw, envelopeTo: [] });
    if (id) ids.push(id);
  }
  return ids;
}
const ctx = () => withActor(t.services, SYSTEM);
const uid = (s: string) => `${s}-${++n}-${Date.now()}@customer.test`;

/** What one inbound email left, with ids and times taken out, for comparing two paths. */
async function shape(inboundId: string) {
  const [ib] = await rows<{ status: string; ticket_id: string; message_id: string }>(
    sql`select status, ticket_id, message_id from inbound_emails where id = ${inboundId}`,
  );
  if (!ib?.ticket_id) return { status: ib?.status };
  const [tk] = await rows<Record<string, unknown>>(sql`select t.status, t.priority, t.channel, t.language,
      t.message_count, t.tags, t.custom_fields, t.team_id is not null as has_team,
      t.last_customer_message_at is not null as customer_at, t.search_vector is not null as indexed,
      extract(epoch from t.next_due_at - t.created_at)::int as due_in, c.name as requester
    from tickets t join contacts c on c.id = t.requester_id where t.id = ${ib.ticket_id}`);
  const events = await rows<{ type: string }>(
    sql`select type from ticket_events where ticket_id = ${ib.ticket_id} order by type`,
  );
  const targets = await rows<{ metric: string; status: string }>(
    sql`select metric, status from sla_targets where ticket_id = ${ib.ticket_id} order by metric`,
  );
  const [msg] = await rows<Record<string, unknown>>(sql`select author_type, internal, channel, body_text,
      metadata->'email'->>'from' as from, (select count(*)::int from email_messages e where e.message_id = m.id) as originals,
      (select count(*)::int from email_thread_keys k where k.message_id = m.id) as keys
    from messages m where m.id = ${ib.message_id}`);
  const [ack] = await rows<{ c: number }>(
    sql`select count(*)::int as c from outbound_emails where ticket_id = ${ib.ticket_id}`,
  );
  return {
    status: ib.status,
    ticket: tk,
    events: events.map((e) => e.type),
    targets,
    message: msg,
    acks: ack?.c,
  };
}

beforeAll(async () => {
  process.env[ALLOW_PRIVATE_ENV] = "1"; // the webhook below points at 127.0.0.1 (never called here)
  t = await createTestApp();
  admin = (await setupAdmin(t)).api;
  const mb = await admin.post("/email/mailboxes", {
    address: "support@batch.test",
    displayName: "Batch",
    defaultPriority: "high",
    smtp: { host: "127.0.0.1", port: 9, tls: "none" },
  });
  expect(mb.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

describe("batch ingestion", () => {
  it("leaves exactly what one-at-a-time processing leaves", async () => {
    const set = (tag: string) => [
      mail({ from: `lan-${tag}@customer.test`, subject: "Order missing", id: uid(tag) }),
      mail({ from: `minh-${tag}@customer.test`, subject: "Invoice", id: uid(tag) }),
      mail({ from: `lan-${tag}@customer.test`, subject: "Another question", id: uid(tag) }),
      mail({
        from: `thu-${tag}@customer.test`,
        subject: "Don hang",
        id: uid(tag),
        body: "Xin chao, toi chua nhan duoc don hang cua toi. Cam on ban rat nhieu.",
      }),
    ];
    const single = await store(set("one"));
    for (const id of single) await processInbound(ctx(), id);
    const batched = await store(set("batch"));
    await processInboundBatch(ctx(), batched);
    for (const [i, id] of batched.entries()) {
      const a = await shape(single[i] as string);
      const b = await shape(id);
      expect(b.status).toBe("processed");
      expect(b).toEqual({
        ...a,
        ticket: { ...(a.ticket as object), requester: expect.stringContaining("-batch") },
        message: { ...(a.message as object), from: expect.stringContaining("-batch@") },
      });
    }
    const one = await shape(batched[0] as string);
    expect(one.targets?.map((x) => x.metric)).toContain("first_response");
    expect(one.ticket?.due_in).toBeGreaterThan(0);
    expect(one.acks).toBe(1);
    expect((await shape(batched[3] as string)).ticket?.language).toBe("vi");
    // One contact per sender, however many of the batch's tickets it wrote.
    const [lan] = await rows<{ c: number }>(
      sql`select count(*)::int as c from contact_emails where email = 'lan-batch@customer.test'`,
    );
    expect(lan?.c).toBe(1);
  });

  it("threads a reply and spots a duplicate inside the same batch", async () => {
    const first = uid("thread");
    const ids = await store([
      mail({ from: "an@customer.test", subject: "Broken screen", id: first }),
      mail({ from: "an@customer.test", subject: "Re: Broken screen", id: uid("thread"), inReplyTo: first }),
      mail({ from: "an@customer.test", subject: "Broken screen", id: first }),
    ]);
    await processInboundBatch(ctx(), ids);
    const out = await rows<{ id: string; status: string; ticket_id: string }>(
      sql`select id, status, ticket_id from inbound_emails where id in ${ids}`,
    );
    const by = (id: string) => out.find((o) => o.id === id);
    expect(by(ids[0] as string)?.status).toBe("processed");
    expect(by(ids[1] as string)).toMatchObject({
      status: "processed",
      ticket_id: by(ids[0] as string)?.ticket_id,
    });
    expect(by(ids[2] as string)?.status).toBe("duplicate");
    const [tk] = await rows<{ message_count: number }>(
      sql`select message_count from tickets where id = ${by(ids[0] as string)?.ticket_id}`,
    );
    expect(tk?.message_count).toBe(2);
  });

  it("keeps a different message that reuses a Message-ID; drops a true duplicate (one by one and in a batch)", async () => {
    const reused = uid("reused");
    const body = (s: string) => `${s}: my invoice number is wrong, please correct it.`;
    const [a, b, c] = await store([
      mail({ from: "vy@customer.test", subject: "Invoice", id: reused, body: body("First") }),
      mail({ from: "vy@customer.test", subject: "Invoice", id: reused, body: body("Second") }),
      mail({ from: "vy@customer.test", subject: "Invoice", id: reused, body: body("First") }),
    ]);
    await processInbound(ctx(), a as string);
    await processInbound(ctx(), b as string);
    await processInbound(ctx(), c as string);
    const status = async (ids: string[]) =>
      (
        await rows<{ id: string; status: string; message_id: string | null }>(
          sql`select id, status, message_id from inbound_emails where id in ${ids}`,
        )
      ).sort((x, y) => ids.indexOf(x.id) - ids.indexOf(y.id));
    const one = await status([a, b, c] as string[]);
    expect(one.map((o) => o.status)).toEqual(["processed", "processed", "duplicate"]);
    expect(one[1]?.message_id).not.toBe(one[0]?.message_id);
    const texts = await rows<{ body_text: string }>(
      sql`select body_text from messages where id in ${[one[0]?.message_id, one[1]?.message_id]}`,
    );
    expect(texts.map((x) => x.body_text.split(":")[0]).sort()).toEqual(["First", "Second"]);

    const again = uid("reused-batch");
    const batch = await store([
      mail({ from: "vy@customer.test", subject: "Refund", id: again, body: body("One") }),
      mail({ from: "vy@customer.test", subject: "Refund", id: again, body: body("Two") }),
      mail({ from: "vy@customer.test", subject: "Refund", id: again, body: body("Two") }),
    ]);
    await processInboundBatch(ctx(), batch);
    expect((await status(batch)).map((o) => o.status)).toEqual(["processed", "processed", "duplicate"]);
  });

  it("runs triggers and queues webhooks for the tickets of a batch", async () => {
    const trig = await admin.post("/triggers", {
      name: "Refunds",
      events: ["ticket.created"],
      conditions: [{ field: "ticket.subject", op: "contains", value: "refund" }],
      actions: [{ type: "add_tags", tags: ["refund"] }],
    });
    expect(trig.status).toBe(201);
    const hook = await admin.post("/webhooks", {
      name: "CRM",
      url: "http://127.0.0.1:9/hook",
      events: ["ticket.created"],
    });
    expect(hook.status).toBe(201);
    const ids = await store([
      mail({ from: "hoa@customer.test", subject: "Refund please", id: uid("trig") }),
      mail({ from: "binh@customer.test", subject: "Question", id: uid("trig") }),
    ]);
    await processInboundBatch(ctx(), ids);
    const tickets = await rows<{
      subject: string;
      tags: string[];
      id: string;
    }>(sql`select t.id, t.subject, t.tags
      from tickets t join inbound_emails i on i.ticket_id = t.id where i.id in ${ids} order by t.subject`);
    expect(tickets.map((x) => [x.subject, x.tags])).toEqual([
      ["Question", []],
      ["Refund please", ["refund"]],
    ]);
    const deliveries = await rows<{ c: number }>(sql`select count(*)::int as c from webhook_deliveries
      where webhook_id = ${hook.body.id} and event = 'ticket.created'`);
    expect(deliveries[0]?.c).toBe(2);
    await admin.patch(`/triggers/${trig.body.id}`, { active: false });
    await admin.delete(`/webhooks/${hook.body.id}`);
  });
});
