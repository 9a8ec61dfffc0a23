import { randomUUID } from "node:crypto";
import {
  type Locale,
  NOTIFICATION_DEFAULTS,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationSubject,
} from "@rapport/shared";
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { deferredOf } from "../../db/deferred.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import type { TNotification, TNotificationPreference } from "./notifications.schema.ts";
import { notificationPreferences, notifications } from "./notifications.table.ts";
import { asLocale, emailLabels, renderNotice } from "./notifications.templates.ts";

/**
 * One notice for one recipient. Every producer (SLA, planner, promises, routing, automations,
 * call-backs, approvals) files its notices with `notify`; see docs/notifications.md.
 */
export type Notice = {
  /** The recipient (a user id). */
  userId: string;
  kind: NotificationKind;
  /** What the title and body are rendered from (ticket number, subject, metric, names...). */
  params?: Record<string, unknown>;
  /** The ticket it is about (the notice disappears with the ticket). */
  ticketId?: string | null;
  contactId?: string | null;
  /** Another object it is about (a promise, a plan, a call-back, an approval). */
  subject?: { type: NotificationSubject; id: string } | null;
  /** A path in the web app the bell opens (`/tickets/42`). */
  link?: string | null;
  /** The same (recipient, key) is filed once, ever: a repeated notice is dropped. */
  dedupeKey?: string | null;
  /** Plain text added to the email only (the morning plan's list), or built in the recipient's language. */
  emailDetails?: string | ((locale: Locale) => string);
  /** Email when the recipient has not chosen for this kind (overrides the kind's default). */
  emailByDefault?: boolean;
};

export type Filed = { id: string; userId: string; kind: string };

/** A notice for the active managers of a team (`except`: users who get it anyway, e.g. the assignee). */
export type TeamNotice = { teamId: string; except: string[]; notice: Omit<Notice, "userId"> };

/** NOTIFY channel carrying filed and read notices to every server process (notifications.push.ts). */
export const NOTICES_CHANNEL = "rapport_notices";
/** Notices per NOTIFY payload (ids of about 80 bytes each: far below the 8000-byte limit). */
const PER_PAYLOAD = 60;
export type NoticePayload = { n?: Array<[string, string]>; r?: string };

/** The NOTIFY payloads announcing filed notices. */
export function filedPayloads(notices: Array<{ id: string; userId: string }>): NoticePayload[] {
  const out: NoticePayload[] = [];
  for (let i = 0; i < notices.length; i += PER_PAYLOAD)
    out.push({ n: notices.slice(i, i + PER_PAYLOAD).map((x) => [x.id, x.userId]) });
  return out;
}

const isUow = (x: Uow | Ctx): x is Uow => "tx" in x && "publish" in x;

const MAX_NOTICES = 5000;

/** A notice's row (both ways of filing it use the same columns). */
const noticeRow = (n: Notice, now: Date) => ({
  userId: n.userId,
  kind: n.kind,
  ticketId: n.ticketId ?? null,
  contactId: n.contactId ?? null,
  subjectType: n.subject?.type ?? (n.ticketId ? "ticket" : null),
  subjectId: n.subject?.id ?? n.ticketId ?? null,
  link: n.link ?? null,
  params: n.params ?? {},
  createdAt: now,
});

/**
 * Files notices, honouring each recipient's preferences (in the app and/or by email, per
 * kind; inactive users get nothing). With a unit of work the rows commit with the caller's
 * change and the push goes out after the commit; with a plain context `notify` opens its own
 * unit (or joins the one its `ctx.db` belongs to). Emails are queued through the outbox
 * (`email.send`), in the recipient's language. Returns the in-app notices actually written
 * (duplicates by `dedupeKey` are not).
 */
export async function notify(
  target: Uow | Ctx,
  notices: Notice[],
  teamNotices: TeamNotice[] = [],
): Promise<Filed[]> {
  if (notices.length === 0 && teamNotices.length === 0) return [];
  if (!isUow(target)) return withTransaction(target, (uow) => notify(uow, notices, teamNotices));
  if (teamNotices.length > 0) return notifyWithManagers(target, notices, teamNotices);
  if (notices.length > MAX_NOTICES) {
    const out: Filed[] = [];
    for (let i = 0; i < notices.length; i += MAX_NOTICES)
      out.push(...(await notify(target, notices.slice(i, i + MAX_NOTICES))));
    return out;
  }
  return file(target, notices, await recipients(target.tx, notices, []));
}

/**
 * `notify` with notices for teams' managers: they are read with the recipients, in the same
 * statement (a negative ticket's notice to its assignee and the team's managers).
 */
async function notifyWithManagers(uow: Uow, notices: Notice[], teamNotices: TeamNotice[]) {
  const teamIds = [...new Set(teamNotices.map((t) => t.teamId))];
  const rows = await recipients(
    uow.tx,
    [...notices, ...teamNotices.map((t) => ({ ...t.notice, userId: "" }))],
    teamIds,
  );
  const all = [...notices];
  const managers = new Map<string, string[]>();
  for (const r of rows) if (r.active && r.managerOf) managers.set(r.id, r.managerOf);
  for (const t of teamNotices)
    for (const [userId, teams] of managers)
      if (teams.includes(t.teamId) && !t.except.includes(userId)) all.push({ ...t.notice, userId });
  return file(uow, all, rows);
}

/**
 * Recipients and their choices for these kinds, one statement; with `teamIds`, also the active
 * managers of those teams (`managerOf`: which of them they manage).
 */
function recipients(tx: DbOrTx, notices: Notice[], teamIds: string[]) {
  const userIds = [...new Set(notices.map((n) => n.userId).filter((id) => id !== ""))];
  const kinds = [...new Set(notices.map((n) => n.kind))];
  const teams = teamIds.length
    ? sql`array[${sql.join(
        teamIds.map((t) => sql`${t}::uuid`),
        sql`, `,
      )}]`
    : null;
  return tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      locale: users.locale,
      active: users.active,
      kind: notificationPreferences.kind,
      inApp: notificationPreferences.inApp,
      byEmail: notificationPreferences.email,
      managerOf: teams
        ? sql<string[] | null>`case when ${users.role} = 'manager' then array(select tm.team_id::text
            from team_members tm where tm.user_id = ${users.id} and tm.team_id = any(${teams})) end`
        : sql<string[] | null>`null::text[]`,
    })
    .from(users)
    .leftJoin(
      notificationPreferences,
      and(eq(notificationPreferences.userId, users.id), inArray(notificationPreferences.kind, kinds)),
    )
    .where(
      teams
        ? or(
            inArray(users.id, userIds),
            sql`(${users.role} = 'manager' and ${users.active} and ${users.id} in
              (select tm.user_id from team_members tm where tm.team_id = any(${teams})))`,
          )
        : inArray(users.id, userIds),
    );
}

async function file(
  uow: Uow,
  notices: Notice[],
  rows: Awaited<ReturnType<typeof recipients>>,
): Promise<Filed[]> {
  const { tx } = uow;
  const now = uow.ctx.now();
  const people = new Map<string, { email: string; name: string; locale: string }>();
  const prefs = new Map<string, { inApp: boolean; email: boolean }>();
  for (const r of rows) {
    if (!r.active) continue;
    people.set(r.id, { email: r.email, name: r.name, locale: r.locale });
    if (r.kind) prefs.set(`${r.id}|${r.kind}`, { inApp: r.inApp ?? true, email: r.byEmail ?? false });
  }
  const choice = (n: Notice) => {
    const chosen = prefs.get(`${n.userId}|${n.kind}`);
    if (chosen) return chosen;
    const d = NOTIFICATION_DEFAULTS[n.kind];
    return { inApp: d.inApp, email: n.emailByDefault ?? d.email };
  };
  const inApp: Notice[] = [];
  const byEmail: Notice[] = [];
  const seen = new Set<string>();
  for (const n of notices) {
    if (!people.has(n.userId)) continue;
    const key = n.dedupeKey ? `${n.userId}|${n.dedupeKey}` : null;
    if (key) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const c = choice(n);
    if (c.inApp) inApp.push(n);
    else if (c.email) byEmail.push(n);
  }
  let filed: Filed[] = [];
  const deferred = deferredOf(tx);
  if (inApp.length > 0 && deferred && inApp.every((n) => !n.dedupeKey)) {
    // Nothing can be a duplicate: the rows (ids made here) and their push (NOTIFY, delivered at
    // the commit) go with the unit's last statement.
    const values = inApp.map((n) => ({ id: randomUUID(), ...noticeRow(n, now) }));
    filed = values.map(({ id, userId, kind }) => ({ id, userId, kind }));
    const pushes = sql.join(
      filedPayloads(filed).map((p) => sql`pg_notify(${NOTICES_CHANNEL}, ${JSON.stringify(p)})::text`),
      sql` || `,
    );
    const rowsSql = sql.join(
      values.map(
        (v) =>
          sql`(${v.id}::uuid, ${v.userId}::uuid, ${v.kind}, ${v.ticketId}::uuid, ${v.contactId}::uuid, ${v.subjectType}, ${v.subjectId}::uuid, ${v.link}, ${JSON.stringify(v.params)}::jsonb, ${v.createdAt.toISOString()}::timestamptz)`,
      ),
      sql`, `,
    );
    deferred.writes.push(sql`insert into notifications (id, user_id, kind, ticket_id, contact_id, subject_type,
        subject_id, link, params, created_at)
      select * from (values ${rowsSql}) as v where (select ${pushes}) is not null`);
    for (const n of inApp) if (choice(n).email) byEmail.push(n);
  } else if (inApp.length > 0) {
    const inserted = await tx
      .insert(notifications)
      .values(inApp.map((n) => ({ ...noticeRow(n, now), dedupeKey: n.dedupeKey ?? null })))
      .onConflictDoNothing()
      .returning({
        id: notifications.id,
        userId: notifications.userId,
        kind: notifications.kind,
        dedupeKey: notifications.dedupeKey,
      });
    // What was new (not a repeated dedupe key) also goes out by email when the recipient wants it.
    const fresh = new Set(inserted.map((f) => `${f.userId}|${f.dedupeKey}`));
    for (const n of inApp)
      if (choice(n).email && (!n.dedupeKey || fresh.has(`${n.userId}|${n.dedupeKey}`))) byEmail.push(n);
    filed = inserted.map(({ id, userId, kind }) => ({ id, userId, kind }));
    if (filed.length > 0)
      uow.publish({ type: "notification.created", notices: filed.map(({ id, userId }) => ({ id, userId })) });
  }
  if (byEmail.length > 0 && !uow.quiet) await emailNotices(tx, uow.ctx.config.publicUrl, byEmail, people);
  return filed;
}

/** Each notice by email, in its recipient's language, through the outbound queue (outbox). */
async function emailNotices(
  tx: DbOrTx,
  publicUrl: string,
  notices: Notice[],
  people: Map<string, { email: string; name: string; locale: string }>,
) {
  const mailbox = await mailboxForTicket(tx, null);
  const base = publicUrl.replace(/\/+$/, "");
  for (const n of notices) {
    const who = people.get(n.userId);
    if (!who) continue;
    const { title, body } = renderNotice(n.kind, n.params ?? {}, who.locale);
    const l = emailLabels(who.locale);
    const details =
      typeof n.emailDetails === "function" ? n.emailDetails(asLocale(who.locale)) : n.emailDetails;
    const parts = [`${who.name},`, title, body, details ?? ""];
    if (n.link) parts.push(`${l.open} ${base}${n.link}`);
    parts.push(`--\n${l.why} ${base}/settings/notifications`);
    const text = `${parts.filter((p) => p.trim() !== "").join("\n\n")}\n`;
    await queueEmail(tx, {
      kind:
        n.kind === "promise.reminder"
          ? "promise_reminder"
          : n.kind === "planner.morning_plan"
            ? "planner_reminder"
            : "notification",
      mailbox,
      ticketId: null,
      messageId: null,
      id: randomUUID(),
      to: [who.email],
      cc: [],
      subject: `Rapport: ${title}`,
      inReplyTo: null,
      references: [],
      replyTo: null,
      text,
      html: textToHtml(text),
    });
  }
}

// ---- The API: a user's own notices only ----

type Row = typeof notifications.$inferSelect;

const toApi = (r: Row, locale: string): TNotification => {
  const { title, body } = renderNotice(r.kind, r.params, locale);
  return {
    id: r.id,
    kind: r.kind,
    title,
    body,
    link: r.link,
    ticketId: r.ticketId,
    contactId: r.contactId,
    subject: r.subjectType && r.subjectId ? { type: r.subjectType, id: r.subjectId } : null,
    params: r.params,
    readAt: r.readAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
};

export const unreadCountOf = async (db: DbOrTx, userId: string) => {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
};

/** The caller's notices, newest first, keyset-paginated on (created_at, id). */
export async function listNotifications(
  ctx: Ctx,
  q: { cursor?: string; limit: number; unread?: boolean; kind?: NotificationKind },
): Promise<{ items: TNotification[]; nextCursor: string | null }> {
  const me = requireCan(ctx.actor, "notifications.own");
  let after: ReturnType<typeof sql> | undefined;
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(at)) || !UUID.test(id))
      throw badRequest("Invalid cursor");
    after = sql`(${notifications.createdAt}, ${notifications.id}) < (${at}::timestamptz, ${id}::uuid)`;
  }
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(eq(notifications.userId, me.userId), q.unread ? isNull(notifications.readAt) : undefined, after),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toApi(r, me.locale)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function unreadCount(ctx: Ctx): Promise<{ unread: number }> {
  const me = requireCan(ctx.actor, "notifications.own");
  return { unread: await unreadCountOf(ctx.db, me.userId) };
}

/** Marks one of the caller's notices read (idempotent); another user's is a 404. */
export async function markRead(ctx: Ctx, id: string): Promise<{ unread: number }> {
  const me = requireCan(ctx.actor, "notifications.own");
  return withTransaction(ctx, async (uow) => {
    const [row] = await uow.tx
      .select({ id: notifications.id, readAt: notifications.readAt })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, me.userId)));
    if (!row) throw notFound("Notification");
    if (!row.readAt) {
      await uow.tx.update(notifications).set({ readAt: uow.ctx.now() }).where(eq(notifications.id, id));
      uow.publish({ type: "notification.read", userId: me.userId });
    }
    return { unread: await unreadCountOf(uow.tx, me.userId) };
  });
}

/** Marks every unread notice of the caller read. */
export async function markAllRead(ctx: Ctx): Promise<{ unread: number; marked: number }> {
  const me = requireCan(ctx.actor, "notifications.own");
  return withTransaction(ctx, async (uow) => {
    const rows = await uow.tx
      .update(notifications)
      .set({ readAt: uow.ctx.now() })
      .where(and(eq(notifications.userId, me.userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    if (rows.length > 0) uow.publish({ type: "notification.read", userId: me.userId });
    return { unread: 0, marked: rows.length };
  });
}

/** The caller's choice for every kind (their own rows, else the defaults). */
export async function getPreferences(ctx: Ctx): Promise<{ items: TNotificationPreference[] }> {
  const me = requireCan(ctx.actor, "notifications.own");
  const rows = await ctx.db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, me.userId));
  const mine = new Map(rows.map((r) => [r.kind, r]));
  return {
    items: NOTIFICATION_KINDS.map((kind) => {
      const r = mine.get(kind);
      const d = NOTIFICATION_DEFAULTS[kind];
      return { kind, inApp: r?.inApp ?? d.inApp, email: r?.email ?? d.email };
    }),
  };
}

/** Saves the caller's choices for the kinds given (others keep theirs). */
export async function setPreferences(
  ctx: Ctx,
  items: TNotificationPreference[],
): Promise<{ items: TNotificationPreference[] }> {
  const me = requireCan(ctx.actor, "notifications.own");
  const kinds = new Set(items.map((i) => i.kind));
  if (kinds.size !== items.length) throw badRequest("Each kind may appear once");
  if (items.length > 0)
    await ctx.db
      .insert(notificationPreferences)
      .values(items.map((i) => ({ userId: me.userId, kind: i.kind, inApp: i.inApp, email: i.email })))
      .onConflictDoUpdate({
        target: [notificationPreferences.userId, notificationPreferences.kind],
        set: { inApp: sql`excluded.in_app`, email: sql`excluded.email` },
      });
  return getPreferences(ctx);
}

/** Rows for a realtime push: the given notices of these users, rendered later per socket. */
export async function loadNotices(db: DbOrTx, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  return db.select().from(notifications).where(inArray(notifications.id, ids));
}

export { toApi as noticeToApi };
