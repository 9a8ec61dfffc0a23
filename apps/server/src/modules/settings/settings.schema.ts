import { GETTING_STARTED_STEPS, LOCALES } from "@rapport/shared";
import { z } from "zod";
import { ZEmail, ZName, ZPassword, ZTimeZone, ZUser } from "../users/users.schema.ts";

export const ZSettings = z.object({
  name: z.string(),
  defaultLanguage: z.enum(LOCALES),
  timeZone: z.string(),
});
export type TSettings = z.infer<typeof ZSettings>;

/** PUBLIC_URL as snippets and links use it; `warning: "loopback"` when it only works on this machine. */
export const ZPublicAddress = z.object({
  publicUrl: z.string(),
  host: z.string(),
  warning: z.enum(["loopback"]).nullable(),
});

export const ZUpdateSettings = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  defaultLanguage: z.enum(LOCALES).optional(),
  timeZone: ZTimeZone.optional(),
});
export type TUpdateSettings = z.infer<typeof ZUpdateSettings>;

export const ZSetupState = z.object({ needsSetup: z.boolean() });

export const ZSetup = z.strictObject({
  organization: z.strictObject({
    name: z.string().trim().min(1).max(200),
    timeZone: ZTimeZone.default("UTC"),
    defaultLanguage: z.enum(LOCALES).default("en"),
  }),
  admin: z.strictObject({ name: ZName, email: ZEmail, password: ZPassword }),
});
export type TSetup = z.infer<typeof ZSetup>;

export const ZSetupResult = z.object({ organization: ZSettings, admin: ZUser });

export const ZGettingStarted = z.object({
  steps: z.array(z.object({ key: z.enum(GETTING_STARTED_STEPS), done: z.boolean() })),
  dismissed: z.boolean(),
});
export const ZGettingStartedUpdate = z.strictObject({ dismissed: z.boolean() });
export const ZEmailSending = z.object({ canSend: z.boolean() });
