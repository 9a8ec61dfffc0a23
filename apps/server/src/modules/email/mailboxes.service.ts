import { asc, eq, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type { TCreateMailbox, TMailbox, TUpdateMailbox } from "./email.schema.ts";
import { mailboxes } from "./email.table.ts";

export type MailboxRow = typeof mailboxes.$inferSelect;

/** The API shape: secrets are never returned, only whether they are set. */
export function toMailbox(m: MailboxRow): TMailbox {
  return {
    id: m.id,
    address: m.address,
    displayName: m.displayName,
    teamId: m.teamId,
    defaultPriority: m.defaultPriority,
    inbound: m.inbound as TMailbox["inbound"],
    imap: {
      host: m.imapHost,
      port: m.imapPort,
      tls: m.imapTls,
      user: m.imapUser,
      hasPassword: !!m.imapPassword,
      folder: m.imapFolder,
      moveTo: m.imapMoveTo,
      pollSeconds: m.imapPollSeconds,
    },
    smtp: {
      host: m.smtpHost,
      port: m.smtpPort,
      tls: m.smtpTls as TMailbox["smtp"]["tls"],
      user: m.smtpUser,
      hasPassword: !!m.smtpPassword,
    },
    ackEnabled: m.ackEnabled,
    ackArticles: m.ackArticles,
    ackTemplates: m.ackTemplates,
    active: m.active,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

function columns(input: TCreateMailbox | TUpdateMailbox): Partial<MailboxRow> {
  const set: Partial<MailboxRow> = {};
  if (input.address !== undefined) set.address = input.address.toLowerCase();
  if (input.displayName !== undefined) set.displayName = input.displayName;
  if (input.teamId !== undefined) set.teamId = input.teamId;
  if (input.defaultPriority !== undefined) set.defaultPriority = input.defaultPriority;
  if (input.inbound !== undefined) set.inbound = input.inbound;
  if (input.ackEnabled !== undefined) set.ackEnabled = input.ackEnabled;
  if (input.ackArticles !== undefined) set.ackArticles = input.ackArticles;
  if (input.ackTemplates !== undefined) set.ackTemplates = input.ackTemplates;
  if (input.active !== undefined) set.active = input.active;
  const i = input.imap;
  if (i) {
    if (i.host !== undefined) set.imapHost = i.host;
    if (i.port !== undefined) set.imapPort = i.port;
    if (i.tls !== undefined) set.imapTls = i.tls;
    if (i.user !== undefined) set.imapUser = i.user;
    if (i.password !== undefined) set.imapPassword = i.password;
    if (i.folder !== undefined) set.imapFolder = i.folder;
    if (i.moveTo !== undefined) set.imapMoveTo = i.moveTo;
    if (i.pollSeconds !== undefined) set.imapPollSeconds = i.pollSeconds;
  }
  const s = input.smtp;
  if (s) {
    if (s.host !== undefined) set.smtpHost = s.host;
    if (s.port !== undefined) set.smtpPort = s.port;
    if (s.tls !== undefined) set.smtpTls = s.tls;
    if (s.user !== undefined) set.smtpUser = s.user;
    if (s.password !== undefined) set.smtpPassword = s.password;
  }
  return set;
}

async function assertFree(db: DbOrTx, address: string | undefined, exceptId?: string) {
  if (!address) return;
  const [row] = await db
    .select({ id: mailboxes.id })
    .from(mailboxes)
    .where(sql`lower(${mailboxes.address}) = ${address.toLowerCase()}`);
  if (row && row.id !== exceptId) throw conflict("A mailbox with this address exists", { field: "address" });
}

async function assertTeam(db: DbOrTx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw notFound("Team");
}

export async function listMailboxes(ctx: Ctx): Promise<TMailbox[]> {
  requireCan(ctx.actor, "mailboxes.manage");
  const rows = await ctx.db.select().from(mailboxes).orderBy(asc(mailboxes.createdAt));
  return rows.map(toMailbox);
}

export async function getMailbox(ctx: Ctx, id: string): Promise<TMailbox> {
  requireCan(ctx.actor, "mailboxes.manage");
  const [row] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw notFound("Mailbox");
  return toMailbox(row);
}

export async function createMailbox(ctx: Ctx, input: TCreateMailbox): Promise<TMailbox> {
  requireCan(ctx.actor, "mailboxes.manage");
  return ctx.db.transaction(async (tx) => {
    await assertFree(tx, input.address);
    await assertTeam(tx, input.teamId);
    const [row] = await tx
      .insert(mailboxes)
      .values({ address: input.address.toLowerCase(), displayName: input.displayName, ...columns(input) })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return toMailbox(row);
  });
}

export async function updateMailbox(ctx: Ctx, id: string, patch: TUpdateMailbox): Promise<TMailbox> {
  requireCan(ctx.actor, "mailboxes.manage");
  return ctx.db.transaction(async (tx) => {
    await assertFree(tx, patch.address, id);
    await assertTeam(tx, patch.teamId);
    const [row] = await tx
      .update(mailboxes)
      .set({ ...columns(patch), updatedAt: ctx.now() })
      .where(eq(mailboxes.id, id))
      .returning();
    if (!row) throw notFound("Mailbox");
    return toMailbox(row);
  });
}

export async function deleteMailbox(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "mailboxes.manage");
  const rows = await ctx.db.delete(mailboxes).where(eq(mailboxes.id, id)).returning({ id: mailboxes.id });
  if (rows.length === 0) throw notFound("Mailbox");
}

/** Every active mailbox (the receivers and the threading code consult this). */
export async function activeMailboxes(db: DbOrTx): Promise<MailboxRow[]> {
  return db.select().from(mailboxes).where(eq(mailboxes.active, true)).orderBy(asc(mailboxes.createdAt));
}
