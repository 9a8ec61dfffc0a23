import { z } from "zod";
import { ZUser } from "../users/users.schema.ts";

export const ZLogin = z.strictObject({
  email: z.string().trim().max(320),
  password: z.string().max(256),
});
export type TLogin = z.infer<typeof ZLogin>;

export const ZSessionInfo = z.object({ user: ZUser, csrfToken: z.string() });

export const ZMe = z.object({
  user: ZUser,
  /** Present for cookie sessions: send it as X-CSRF-Token on every write. */
  csrfToken: z.string().nullable(),
  organization: z.object({ name: z.string(), defaultLanguage: z.string(), timeZone: z.string() }).nullable(),
});

export const ZCreateApiToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TCreateApiToken = z.infer<typeof ZCreateApiToken>;

export const ZApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZCreatedApiToken = ZApiToken.extend({
  /** The secret, shown this once: Rapport keeps only its hash. */
  token: z.string(),
});
