import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { randomToken, sha256, verifyPassword } from "../../auth/crypto.ts";
import { can, requireAgent } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import type { TUser } from "../users/users.schema.ts";
import { agentActor, teamIdsSql, toUser } from "../users/users.service.ts";
import { users } from "../users/users.table.ts";
import type { TApiToken, TCreateApiToken, TLogin } from "./auth.schema.ts";
import { apiTokens, sessions } from "./auth.table.ts";

const TOKEN_PREFIX = "rpt_";
/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 5 * 60_000;

export type LoginResult = { sessionToken: string; csrfToken: string; user: TUser; expiresAt: Date };

export async function login(
  svc: Services,
  input: TLogin,
  meta: { ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const email = input.email.toLowerCase();
  const [row] = await svc.db
    .select({ user: users, teamIds: teamIdsSql })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  const ok = await verifyPassword(row?.user.passwordHash ?? null, input.password);
  if (!row || !ok || !row.user.active) {
    throw new AppError("invalid_credentials", 401, "Email or password is wrong");
  }
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  const now = svc.now();
  const expiresAt = new Date(now.getTime() + svc.config.sessionTtlMs);
  await svc.db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      tokenHash: sha256(sessionToken),
      kind: "agent",
      userId: row.user.id,
      csrfToken,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      expiresAt,
    });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, row.user.id));
  });
  return { sessionToken, csrfToken, user: toUser({ ...row.user, lastLoginAt: now }, row.teamIds), expiresAt };
}

export async function logout(svc: Services, sessionToken: string): Promise<void> {
  await svc.db.delete(sessions).where(eq(sessions.tokenHash, sha256(sessionToken)));
}

/** Resolves a session cookie to an agent and its CSRF token, in one query. */
export async function resolveSession(
  svc: Services,
  sessionToken: string,
): Promise<{ actor: AgentActor; csrfToken: string } | null> {
  const now = svc.now();
  const [row] = await svc.db
    .select({ session: sessions, user: users, teamIds: teamIdsSql })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sha256(sessionToken)),
        eq(sessions.kind, "agent"),
        gt(sessions.expiresAt, now),
      ),
    );
  if (!row?.user.active) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await svc.db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(eq(sessions.tokenHash, row.session.tokenHash));
  }
  return { actor: agentActor(row.user, row.teamIds, "session"), csrfToken: row.session.csrfToken };
}

/**
 * The token lookup of every API request, built once per database handle and sent as a named
 * statement (PostgreSQL parses and plans it once per connection): building it with Drizzle on
 * every request was a measurable share of the API's CPU (bench/RESULTS.md, issue 13).
 */
const tokenLookups = new WeakMap<DbOrTx, ReturnType<typeof prepareTokenLookup>>();
function prepareTokenLookup(db: DbOrTx) {
  return db
    .select({ token: apiTokens, user: users, teamIds: teamIdsSql })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, sql.placeholder("hash")),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), sql`${apiTokens.expiresAt} > ${sql.placeholder("now")}::timestamptz`),
      ),
    )
    .prepare("api_token_lookup");
}

/** Resolves `Authorization: Bearer rpt_...` to an agent, in one query. */
export async function resolveApiToken(svc: Services, token: string): Promise<AgentActor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const now = svc.now();
  let lookup = tokenLookups.get(svc.db);
  if (!lookup) {
    lookup = prepareTokenLookup(svc.db);
    tokenLookups.set(svc.db, lookup);
  }
  const [row] = await lookup.execute({ hash: sha256(token), now: now.toISOString() });
  if (!row?.user.active) return null;
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last > TOUCH_EVERY_MS) {
    await svc.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  return agentActor(row.user, row.teamIds, "token");
}

function toApiToken(row: typeof apiTokens.$inferSelect): TApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(
  ctx: Ctx,
  input: TCreateApiToken,
): Promise<TApiToken & { token: string }> {
  const me = requireAgent(ctx.actor);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const expiresAt = input.expiresInDays
    ? new Date(ctx.now().getTime() + input.expiresInDays * 86400_000)
    : null;
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      userId: me.userId,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      expiresAt,
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return { ...toApiToken(row), token };
}

export async function listApiTokens(ctx: Ctx): Promise<TApiToken[]> {
  const me = requireAgent(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, me.userId))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(toApiToken);
}

/** Revokes one of the caller's tokens (admins may revoke anyone's). */
export async function revokeApiToken(ctx: Ctx, id: string): Promise<TApiToken> {
  const me = requireAgent(ctx.actor);
  const owner = can(me, "apiTokens.manageAll") ? undefined : eq(apiTokens.userId, me.userId);
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(and(eq(apiTokens.id, id), owner))
    .returning();
  if (!row) throw notFound("API token");
  return toApiToken(row);
}
