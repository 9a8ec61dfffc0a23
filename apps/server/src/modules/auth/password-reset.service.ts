import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashPassword, randomToken, sha256 } from "../../auth/crypto.ts";
import type { Ctx, Services } from "../../context.ts";
import { AppError } from "../../lib/errors.ts";
import type { TUser } from "../users/users.schema.ts";
import { users } from "../users/users.table.ts";
import { apiTokens, sessions } from "./auth.table.ts";
import type { TResetPassword } from "./password-reset.schema.ts";
import { passwordResetTokens } from "./password-reset.table.ts";

/** A reset link works for an hour; an invitation for a week. */
export const RESET_TTL_MS = 60 * 60_000;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
/** Reset links one user can have at once within RESET_TTL_MS (stops mail bombing through the form). */
export const MAX_OPEN_RESETS = 3;

type Purpose = "reset" | "invite";

async function issueToken(svc: Services, userId: string, purpose: Purpose, ttlMs: number) {
  const token = randomToken(32);
  const expiresAt = new Date(svc.now().getTime() + ttlMs);
  await svc.db.insert(passwordResetTokens).values({ tokenHash: sha256(token), userId, purpose, expiresAt });
  return {
    token,
    expiresAt,
    url: `${svc.config.publicUrl.replace(/\/$/, "")}/reset-password?token=${token}`,
  };
}

/**
 * Starts a password reset for the account with this email, if there is an active one: a
 * single-use token (stored hashed) and the `auth.password_reset_requested` event, which the
 * email channel turns into a message. Nothing tells the caller whether the account exists.
 */
export async function requestPasswordReset(svc: Services, email: string): Promise<void> {
  const [user] = await svc.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  if (!user?.active) return;
  const [open] = await svc.db
    .select({ n: sql<number>`count(*)::int` })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.userId, user.id),
        eq(passwordResetTokens.purpose, "reset"),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, svc.now()),
      ),
    );
  if ((open?.n ?? 0) >= MAX_OPEN_RESETS) return;
  const { url, expiresAt } = await issueToken(svc, user.id, "reset", RESET_TTL_MS);
  svc.bus.publish({
    type: "auth.password_reset_requested",
    userId: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    resetUrl: url,
    expiresAt: expiresAt.toISOString(),
  });
}

/** Invites a user created without a password to choose one (`auth.invited`). */
export async function inviteUser(ctx: Ctx, user: TUser): Promise<void> {
  const { url, expiresAt } = await issueToken(ctx, user.id, "invite", INVITE_TTL_MS);
  ctx.bus.publish({
    type: "auth.invited",
    userId: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    setPasswordUrl: `${url}&invite=1`,
    invitedBy: ctx.actor.kind === "agent" ? ctx.actor.name : null,
    expiresAt: expiresAt.toISOString(),
  });
}

/**
 * Sets a new password with a reset or invitation token. The token is used up, every other
 * open token of the user is too, the user's sessions end (signed in anywhere: signed out) and
 * the user's API tokens are revoked: whoever took over the account may have made one.
 */
export async function resetPassword(svc: Services, input: TResetPassword): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const now = svc.now();
  await svc.db.transaction(async (tx) => {
    const [row] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, sha256(input.token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    const [user] = row
      ? await tx.select({ active: users.active }).from(users).where(eq(users.id, row.userId))
      : [];
    if (!row || !user?.active)
      throw new AppError("invalid_token", 400, "This link is invalid, expired or already used");
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, row.userId));
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, row.userId));
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.userId, row.userId), isNull(apiTokens.revokedAt)));
  });
}
