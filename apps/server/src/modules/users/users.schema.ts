import { AVAILABILITIES, canonicalTimeZone, LOCALES, ROLES } from "@rapport/shared";
import { z } from "zod";

const ZLanguageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language code such as vi or km");
/** An IANA time zone, stored under its canonical name (`Asia/Saigon` becomes `Asia/Ho_Chi_Minh`). */
export const ZTimeZone = z
  .string()
  .max(64)
  .transform((tz, ctx) => {
    const canonical = canonicalTimeZone(tz);
    if (canonical) return canonical;
    ctx.addIssue({ code: "custom", message: "an IANA time zone such as Asia/Ho_Chi_Minh" });
    return z.NEVER;
  });
export const ZPassword = z.string().min(10, "at least 10 characters").max(256);
export const ZEmail = z.string().trim().max(320).email();
export const ZName = z.string().trim().min(1).max(200);

export const ZUser = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  /** The name visitors see in live chat; null: the full name. */
  chatName: z.string().nullable(),
  role: z.enum(ROLES),
  languages: z.array(z.string()),
  availability: z.enum(AVAILABILITIES),
  locale: z.string(),
  timeZone: z.string().nullable(),
  active: z.boolean(),
  teamIds: z.array(z.uuid()),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  name: ZName,
  role: z.enum(ROLES).default("agent"),
  password: ZPassword.optional(),
  languages: z.array(ZLanguageCode).max(20).default([]),
  locale: z.enum(LOCALES).default("en"),
  timeZone: ZTimeZone.optional(),
  teamIds: z.array(z.uuid()).max(100).default([]),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z.strictObject({
  name: ZName.optional(),
  role: z.enum(ROLES).optional(),
  languages: z.array(ZLanguageCode).max(20).optional(),
  locale: z.enum(LOCALES).optional(),
  timeZone: ZTimeZone.nullable().optional(),
  active: z.boolean().optional(),
  teamIds: z.array(z.uuid()).max(100).optional(),
  availability: z.enum(AVAILABILITIES).optional(),
});
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

/** What an agent may change about themselves. */
export const ZUpdateMe = z.strictObject({
  name: ZName.optional(),
  chatName: z.string().trim().min(1).max(80).nullable().optional(),
  languages: z.array(ZLanguageCode).max(20).optional(),
  locale: z.enum(LOCALES).optional(),
  timeZone: ZTimeZone.nullable().optional(),
  availability: z.enum(AVAILABILITIES).optional(),
});
export type TUpdateMe = z.infer<typeof ZUpdateMe>;
