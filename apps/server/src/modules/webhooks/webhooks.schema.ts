import { z } from "zod";

export const ZWebhookEventName = z.enum([
  "ticket.created",
  "ticket.updated",
  "message.created",
  "csat.rated",
]);

const ZUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    { message: "an http(s) URL without credentials" },
  );

export const ZWebhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  /** The last characters of the signing secret. */
  secretHint: z.string(),
  /** The signing secret: returned on creation and rotation only. */
  secret: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TWebhook = z.infer<typeof ZWebhook>;

export const ZCreateWebhook = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: ZUrl,
  events: z.array(ZWebhookEventName).min(1).max(10),
  active: z.boolean().default(true),
});
export type TCreateWebhook = z.infer<typeof ZCreateWebhook>;
export const ZUpdateWebhook = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  url: ZUrl.optional(),
  events: z.array(ZWebhookEventName).min(1).max(10).optional(),
  active: z.boolean().optional(),
});
export type TUpdateWebhook = z.infer<typeof ZUpdateWebhook>;

export const ZDelivery = z.object({
  id: z.uuid(),
  event: z.string(),
  status: z.enum(["pending", "success", "failed"]),
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  lastAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
});
export type TDelivery = z.infer<typeof ZDelivery>;
export const ZDeliveryQuery = z.strictObject({
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
