/**
 * Seeds the benchmark database: teams, agents, organizations, contacts with emails,
 * tickets, messages and timeline events. Bulk rows are made by PostgreSQL itself
 * (INSERT … SELECT over generate_series, in batches, secondary indexes dropped and
 * rebuilt afterwards); texts come from small pools built in JavaScript with the
 * app's own foldText()/tsvectorLiteral()/textToHtml(), so the search columns are
 * exactly what the app would have written.
 */
import { foldText } from "@rapport/shared";
import cliProgress from "cli-progress";
import type pg from "pg";
import { textToHtml } from "../apps/server/src/lib/html.ts";
import { tsvectorLiteral } from "../apps/server/src/lib/search.ts";
import { ticketSearchVector } from "../apps/server/src/modules/tickets/tickets.service.ts";
import {
  contactName,
  englishBody,
  englishSubject,
  foreignBody,
  foreignSubject,
  LANGS,
  RARE_WORD,
  rng,
  TAGS,
} from "./vocab.ts";

export type SeedSize = { tickets: number; contacts: number; agents: number; teams: number; orgs: number };

export const FULL: SeedSize = { tickets: 1_000_000, contacts: 100_000, agents: 200, teams: 10, orgs: 2_000 };
export const SMOKE: SeedSize = { tickets: 20_000, contacts: 5_000, agents: 40, teams: 5, orgs: 100 };

/** Messages per ticket: 1..5 from a hash of the ticket number, 3 on average. */
const MSG_COUNT_SQL = (n: string) => `(1 + ((hashint4(${n}::int) & 2147483647) % 5))`;
const BATCH = 50_000;
const SPAN_DAYS = 4 * 365;
const RECENT_DAYS = 90;

/**
 * Ids are valid v4-shaped UUIDs that grow with the row number (kind in the first digit),
 * so the bulk load appends to the primary-key indexes instead of scattering.
 */
export const benchId = (kind: number, i: number) =>
  `${kind}0000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const idSql = (kind: number, expr: string) =>
  `('${kind}0000000-0000-4000-8000-' || lpad(to_hex((${expr})::bigint), 12, '0'))::uuid`;
export const KIND = { ticket: 1, message: 2, contact: 3, user: 4, team: 5, org: 6, email: 7 } as const;

const TABLES = ["tickets", "messages", "ticket_events", "contacts", "contact_emails"];

export type SeedReport = {
  seconds: number;
  phases: Array<{ name: string; seconds: number }>;
  counts: Record<string, number>;
};

export async function seededSize(client: pg.PoolClient): Promise<SeedSize | null> {
  const { rows } = await client.query("select to_regclass('public.bench_meta') is not null as present");
  if (!rows[0]?.present) return null;
  const meta = await client.query("select value from bench_meta where key = 'size'");
  return meta.rows[0] ? (JSON.parse(meta.rows[0].value) as SeedSize) : null;
}

async function timed<T>(phases: SeedReport["phases"], name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  phases.push({ name, seconds: (performance.now() - t0) / 1000 });
  return out;
}

/** Inserts rows given as column arrays through unnest(), in chunks. */
async function insertColumns(
  client: pg.PoolClient,
  table: string,
  cols: Array<{ name: string; type: string; values: unknown[] }>,
  chunk = 5000,
) {
  const n = cols[0]?.values.length ?? 0;
  const list = cols.map((c) => c.name).join(", ");
  const unnest = cols.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ");
  for (let at = 0; at < n; at += chunk) {
    await client.query(
      `insert into ${table} (${list}) select * from unnest(${unnest})`,
      cols.map((c) => c.values.slice(at, at + chunk)),
    );
  }
}

export async function seed(client: pg.PoolClient, size: SeedSize): Promise<SeedReport> {
  const phases: SeedReport["phases"] = [];
  const t0 = performance.now();
  const r = rng(42);
  await client.query("set synchronous_commit = off");
  await client.query("set maintenance_work_mem = '512MB'");
  // Rows are consistent by construction; foreign-key triggers are skipped during the load.
  await client.query("set session_replication_role = replica");

  const indexes = await timed(phases, "drop secondary indexes", async () => {
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes i
        where schemaname = 'public' and tablename = any($1)
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [TABLES],
    );
    for (const ix of rows) await client.query(`drop index ${ix.indexname}`);
    return rows;
  });

  await timed(phases, "settings, teams, agents, organizations", async () => {
    await client.query(
      "insert into settings (id, name, default_language, time_zone) values (1, 'Bench Support', 'en', 'UTC') on conflict do nothing",
    );
    await client.query(
      `insert into teams (id, name) select ${idSql(KIND.team, "t")}, 'Team ' || t from generate_series(1, $1) t`,
      [size.teams],
    );
    // User 1 is an admin, 2-5 managers, the rest agents; user u belongs to team ((u-1) % teams) + 1,
    // and every fourth user to the next team as well.
    await client.query(
      `insert into users (id, email, name, role, languages, availability)
       select ${idSql(KIND.user, "u")}, 'agent' || u || '@bench.rapport.test', 'Agent ' || u,
              (case when u = 1 then 'admin' when u <= 5 then 'manager' else 'agent' end)::role,
              case when u % 7 = 0 then array['en','vi'] else array['en'] end, 'online'
         from generate_series(1, $1) u`,
      [size.agents],
    );
    await client.query(
      `insert into team_members (team_id, user_id)
       select ${idSql(KIND.team, "((u - 1) % $2) + 1")}, ${idSql(KIND.user, "u")} from generate_series(1, $1) u
       union
       select ${idSql(KIND.team, "(u % $2) + 1")}, ${idSql(KIND.user, "u")} from generate_series(1, $1) u where u % 4 = 0`,
      [size.agents, size.teams],
    );
    await client.query(
      `insert into organizations (id, name, domains, search_name)
       select ${idSql(KIND.org, "o")}, 'Company ' || o, array['company' || o || '.example'], 'company ' || o
         from generate_series(1, $1) o`,
      [size.orgs],
    );
  });

  await timed(phases, "contacts and emails", async () => {
    const ids: string[] = [];
    const names: string[] = [];
    const langs: Array<string | null> = [];
    const orgs: Array<string | null> = [];
    const searchNames: string[] = [];
    const vectors: string[] = [];
    const created: string[] = [];
    const emailIds: string[] = [];
    const emailContacts: string[] = [];
    const emailAddrs: string[] = [];
    const emailPrimary: boolean[] = [];
    const start = Date.now() - SPAN_DAYS * 86400_000;
    for (let i = 1; i <= size.contacts; i++) {
      const { name, lang } = contactName(r);
      const slug =
        foldText(name)
          .replace(/[^a-z]+/g, ".")
          .replace(/^\.|\.$/g, "") || "customer";
      const emails = [`${slug}.${i}@example.com`];
      if (r.next() < 0.1) emails.push(`${slug.split(".")[0]}${i}@mail.example.org`);
      const id = benchId(KIND.contact, i);
      ids.push(id);
      names.push(name);
      langs.push(lang);
      orgs.push(r.next() < 0.3 ? benchId(KIND.org, 1 + r.int(size.orgs)) : null);
      const emailText = emails.join(" ");
      // The same fields refreshSearch() in contacts.service.ts writes.
      searchNames.push(foldText([name, emailText].join(" ")).slice(0, 2000));
      vectors.push(
        tsvectorLiteral([
          { text: name, weight: "A" },
          { text: emailText, weight: "A" },
        ]),
      );
      created.push(new Date(start + (i / size.contacts) * SPAN_DAYS * 86400_000).toISOString());
      emails.forEach((e, k) => {
        emailIds.push(benchId(KIND.email, emailIds.length + 1));
        emailContacts.push(id);
        emailAddrs.push(e);
        emailPrimary.push(k === 0);
      });
    }
    await insertColumns(client, "contacts", [
      { name: "id", type: "uuid", values: ids },
      { name: "name", type: "text", values: names },
      { name: "language", type: "text", values: langs },
      { name: "organization_id", type: "uuid", values: orgs },
      { name: "search_name", type: "text", values: searchNames },
      { name: "search_vector", type: "tsvector", values: vectors },
      { name: "created_at", type: "timestamptz", values: created },
      { name: "updated_at", type: "timestamptz", values: created },
    ]);
    await insertColumns(client, "contact_emails", [
      { name: "id", type: "uuid", values: emailIds },
      { name: "contact_id", type: "uuid", values: emailContacts },
      { name: "email", type: "text", values: emailAddrs },
      { name: "is_primary", type: "boolean", values: emailPrimary },
    ]);
  });

  // Text pools: subjects, bodies and tag sets, with their search columns computed by the app's code.
  const pools = await timed(phases, "text pools", async () => {
    await client.query(`drop table if exists bench_subjects, bench_bodies, bench_tagsets;
      create unlogged table bench_subjects (idx int primary key, subject text, subject_folded text, sv tsvector, language text);
      create unlogged table bench_bodies (idx int primary key, body_text text, body_html text, sv tsvector);
      create unlogged table bench_tagsets (idx int primary key, tags text[], sv tsvector);`);
    const nSubjects = 5000;
    const subj: string[][] = [[], [], [], [], []];
    for (let i = 0; i < nSubjects; i++) {
      // 4% of subjects are Vietnamese, Khmer or Tamil.
      const lang = i >= nSubjects * 0.96 ? LANGS[i % 3] : undefined;
      const s = lang ? foreignSubject(r, lang) : englishSubject(r);
      subj[0]?.push(String(i));
      subj[1]?.push(s);
      subj[2]?.push(foldText(s));
      subj[3]?.push(tsvectorLiteral([{ text: s, weight: "A" }]));
      subj[4]?.push(lang ?? (null as unknown as string));
    }
    await insertColumns(client, "bench_subjects", [
      { name: "idx", type: "int", values: subj[0] ?? [] },
      { name: "subject", type: "text", values: subj[1] ?? [] },
      { name: "subject_folded", type: "text", values: subj[2] ?? [] },
      { name: "sv", type: "tsvector", values: subj[3] ?? [] },
      { name: "language", type: "text", values: subj[4] ?? [] },
    ]);
    // Bodies: English first, then one block per language.
    const nEnglish = 20000;
    const nForeign = 300;
    const bodies: string[] = [];
    for (let i = 0; i < nEnglish; i++) bodies.push(englishBody(r, 12 + r.int(30)));
    for (const lang of LANGS) for (let i = 0; i < nForeign; i++) bodies.push(foreignBody(r, lang));
    await insertColumns(client, "bench_bodies", [
      { name: "idx", type: "int", values: bodies.map((_, i) => i) },
      { name: "body_text", type: "text", values: bodies },
      { name: "body_html", type: "text", values: bodies.map(textToHtml) },
      {
        name: "sv",
        type: "tsvector",
        values: bodies.map((b) => tsvectorLiteral([{ text: b, weight: "B" }])),
      },
    ]);
    // Tag sets: a quarter of tickets untagged; earlier tags in TAGS are more frequent.
    const tagsets: string[][] = [];
    for (let i = 0; i < 400; i++) {
      const n = i < 100 ? 0 : 1 + r.int(3);
      const set = new Set<string>();
      for (let k = 0; k < n; k++) set.add(TAGS[Math.floor(TAGS.length * r.next() ** 2)] as string);
      tagsets.push([...set]);
    }
    // unnest() flattens arrays of arrays, so tag sets travel as comma-joined text.
    await client.query(
      `insert into bench_tagsets (idx, tags, sv)
       select idx, string_to_array(nullif(t, ''), ','), sv from unnest($1::int[], $2::text[], $3::tsvector[]) u(idx, t, sv)`,
      [
        tagsets.map((_, i) => i),
        tagsets.map((t) => t.join(",")),
        tagsets.map((t) => tsvectorLiteral([{ text: t.join(" "), weight: "B" }])),
      ],
    );
    await client.query("update bench_tagsets set tags = '{}' where tags is null");
    return { nSubjects, nEnglish, nForeign };
  });

  const N = size.tickets;
  const recentFrom = Math.floor(N * (1 - RECENT_DAYS / SPAN_DAYS));
  const rareMod = Math.max(1000, Math.floor((N * 3) / 30));
  const h = (salt: number, expr = "i") => `(hashint4((${expr})::int + ${salt}) & 2147483647)`;
  const langOffset = (lang: string) =>
    pools.nEnglish + LANGS.indexOf(lang as (typeof LANGS)[number]) * pools.nForeign;

  const ticketSql = `
    insert into tickets (id, number, subject, status, priority, channel, requester_id, assignee_id, team_id, tags,
      language, message_count, subject_folded, search_vector, created_at, updated_at, first_response_at,
      last_message_at, last_customer_message_at, solved_at, closed_at)
    select ${idSql(KIND.ticket, "g.i")}, g.i, s.subject, g.status::ticket_status, g.priority::ticket_priority,
      g.channel::channel, ${idSql(KIND.contact, `1 + ${h(77, "g.i")} % ${size.contacts}`)},
      case when g.status = 'new' or g.unassigned then null
           when g.team is null then ${idSql(KIND.user, `1 + ${h(91, "g.i")} % ${size.agents}`)}
           else ${idSql(KIND.user, `g.team + ${size.teams} * (${h(93, "g.i")} % ${Math.floor(size.agents / size.teams)})`)} end,
      case when g.team is null then null else ${idSql(KIND.team, "g.team")} end,
      ts.tags, s.language, g.n, s.subject_folded, s.sv || ts.sv,
      g.created, least(g.last_msg + interval '5 minutes', now()),
      case when g.n >= 2 then g.created + g.gap end,
      g.last_msg, g.created + g.gap * (case when g.n >= 3 then 2 else 0 end),
      case when g.status in ('solved','closed') then g.last_msg + interval '1 hour' end,
      case when g.status = 'closed' then g.last_msg + interval '4 days' end
    from (
      select i, n, created, gap, team, status, priority, channel, unassigned,
             least(created + gap * (n - 1), now()) as last_msg
      from (
        select i, ${MSG_COUNT_SQL("i")} as n,
          now() - interval '${SPAN_DAYS} days' * (1 - i::float8 / ${N}) - interval '1 minute' * (${h(5)} % 600) as created,
          interval '1 minute' * (30 + ${h(7)} % 2880) as gap,
          case when random() < 0.08 then null else 1 + ${h(11)} % ${size.teams} end as team,
          random() < 0.25 as unassigned,
          case when i >= ${recentFrom} then
                 (array['new','new','open','open','open','open','pending','pending','on_hold','solved'])[1 + ${h(13)} % 10]
               when random() < 0.005 then (array['new','open','open','pending'])[1 + ${h(17)} % 4]
               when random() < 0.1 then 'solved' else 'closed' end as status,
          (array['low','low','normal','normal','normal','normal','normal','normal','high','urgent'])[1 + ${h(19)} % 10] as priority,
          (array['email','email','email','email','email','chat','chat','web','phone','api'])[1 + ${h(23)} % 10] as channel
        from generate_series($1::int, $2::int) i
      ) x
    ) g
    join bench_subjects s on s.idx = ${h(29, "g.i")} % ${pools.nSubjects}
    join bench_tagsets ts on ts.idx = ${h(31, "g.i")} % 400`;

  const msgKey = "(t.number * 5 + k)";
  const messageSql = `
    insert into messages (id, ticket_id, author_type, author_user_id, author_contact_id, internal, channel,
      body_text, body_html, search_vector, created_at)
    select ${idSql(KIND.message, msgKey)}, t.id,
      case when k % 2 = 0 then 'customer' else 'agent' end,
      case when k % 2 = 1 then coalesce(t.assignee_id, ${idSql(KIND.user, `1 + ${h(37, msgKey)} % ${size.agents}`)}) end,
      case when k % 2 = 0 then t.requester_id end,
      k % 2 = 1 and ${h(41, msgKey)} % 10 = 0,
      t.channel,
      b.body_text || case when ${h(43, msgKey)} % ${rareMod} = 0 then ' ${RARE_WORD}' else '' end,
      case when ${h(43, msgKey)} % ${rareMod} = 0 then left(b.body_html, -4) || ' ${RARE_WORD}</p>' else b.body_html end,
      b.sv || case when ${h(43, msgKey)} % ${rareMod} = 0 then setweight(to_tsvector('simple', '${RARE_WORD}'), 'B') else ''::tsvector end,
      least(t.created_at + (interval '1 minute' * (30 + ${h(7, "t.number")} % 2880)) * k, now())
    from tickets t
    cross join lateral generate_series(0, t.message_count - 1) k
    join bench_bodies b on b.idx = case t.language
        when 'vi' then ${langOffset("vi")} + ${h(47, msgKey)} % ${pools.nForeign}
        when 'km' then ${langOffset("km")} + ${h(47, msgKey)} % ${pools.nForeign}
        when 'ta' then ${langOffset("ta")} + ${h(47, msgKey)} % ${pools.nForeign}
        else ${h(47, msgKey)} % ${pools.nEnglish} end
    where t.number between $1 and $2`;

  const eventSql = `
    insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
    select t.id, e.type, e.actor_type, e.actor_id, e.data, e.at from tickets t
    cross join lateral (
      select 'ticket.created' as type, 'system' as actor_type, null::uuid as actor_id,
             jsonb_build_object('status', 'new', 'priority', t.priority, 'channel', t.channel,
               'assigneeId', null, 'teamId', t.team_id) as data, t.created_at as at
      union all
      select 'status.changed', 'agent', t.assignee_id,
             jsonb_build_object('from', 'open', 'to', t.status), coalesce(t.solved_at, t.updated_at)
       where t.status not in ('new', 'open') and t.assignee_id is not null
    ) e
    where t.number between $1 and $2`;

  await timed(phases, `tickets, messages, events (${N} tickets)`, async () => {
    const bar = new cliProgress.SingleBar(
      {
        noTTYOutput: true,
        notTTYSchedule: 10_000,
        format: "  seeding tickets [{bar}] {percentage}% {value}/{total} tickets, eta {eta_formatted}",
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(N, 0);
    for (let a = 1; a <= N; a += BATCH) {
      const b = Math.min(N, a + BATCH - 1);
      await client.query("begin");
      await client.query(ticketSql, [a, b]);
      await client.query(messageSql, [a, b]);
      await client.query(eventSql, [a, b]);
      await client.query("commit");
      bar.update(b);
    }
    bar.stop();
    await client.query("select setval('tickets_number_seq', $1)", [N]);
  });

  await timed(phases, "rebuild indexes", async () => {
    const bar = new cliProgress.SingleBar(
      {
        noTTYOutput: true,
        notTTYSchedule: 10_000,
        format: "  building indexes [{bar}] {value}/{total} {name}",
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(indexes.length, 0, { name: "" });
    for (const [i, ix] of indexes.entries()) {
      bar.update(i, { name: ix.indexname });
      await client.query(ix.indexdef);
    }
    bar.update(indexes.length, { name: "done" });
    bar.stop();
  });

  await timed(phases, "analyze", async () => {
    await client.query("set session_replication_role = origin");
    await client.query("drop table bench_subjects, bench_bodies, bench_tagsets");
    await client.query("vacuum analyze");
  });

  const counts: Record<string, number> = {};
  for (const t of ["tickets", "messages", "ticket_events", "contacts", "contact_emails", "users", "teams"]) {
    const { rows } = await client.query(`select count(*)::int as n from ${t}`);
    counts[t] = rows[0].n;
  }
  const report: SeedReport = { seconds: (performance.now() - t0) / 1000, phases, counts };
  await client.query(`create table if not exists bench_meta (key text primary key, value text not null);
    delete from bench_meta;`);
  await client.query("insert into bench_meta values ('size', $1), ('seed', $2)", [
    JSON.stringify(size),
    JSON.stringify(report),
  ]);
  return report;
}

export async function seedReport(client: pg.PoolClient): Promise<SeedReport | null> {
  const { rows } = await client.query("select value from bench_meta where key = 'seed'");
  return rows[0] ? (JSON.parse(rows[0].value) as SeedReport) : null;
}

/**
 * Checks, on a sample, that the seeded search columns equal what the app computes
 * for the same text (tickets, messages, contacts). Returns the mismatch counts.
 */
export async function checkSearchColumns(client: pg.PoolClient, sample = 300) {
  const mismatches = { tickets: 0, messages: 0, contacts: 0, sampled: sample };
  const t = await client.query(
    `select subject, tags, subject_folded, search_vector::text as sv from tickets tablesample system (1) limit $1`,
    [sample],
  );
  for (const row of t.rows) {
    const same = await client.query("select $1::tsvector = $2::tsvector as ok", [
      row.sv,
      ticketSearchVector(row.subject, row.tags),
    ]);
    if (!same.rows[0].ok || row.subject_folded !== foldText(row.subject)) mismatches.tickets++;
  }
  const m = await client.query(
    `(select body_text, search_vector::text as sv from messages tablesample system (1) limit $1)
     union all (select body_text, search_vector::text from messages where search_vector @@ $2::tsquery limit 5)`,
    [sample, `'${RARE_WORD}'`],
  );
  for (const row of m.rows) {
    const same = await client.query("select $1::tsvector = $2::tsvector as ok", [
      row.sv,
      tsvectorLiteral([{ text: row.body_text, weight: "B" }]),
    ]);
    if (!same.rows[0].ok) mismatches.messages++;
  }
  const c = await client.query(
    `select c.name, c.search_name, c.search_vector::text as sv, array_agg(e.email order by e.is_primary desc, e.id) as emails
       from (select * from contacts tablesample system (5) limit $1) c join contact_emails e on e.contact_id = c.id
      group by c.id, c.name, c.search_name, c.search_vector`,
    [sample],
  );
  for (const row of c.rows) {
    const emailText = (row.emails as string[]).join(" ");
    const same = await client.query("select $1::tsvector = $2::tsvector as ok", [
      row.sv,
      tsvectorLiteral([
        { text: row.name, weight: "A" },
        { text: emailText, weight: "A" },
      ]),
    ]);
    if (!same.rows[0].ok || row.search_name !== foldText(`${row.name} ${emailText}`)) mismatches.contacts++;
  }
  return mismatches;
}
