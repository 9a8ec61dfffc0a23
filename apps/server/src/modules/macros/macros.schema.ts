import { TICKET_PRIORITIES, TICKET_STATUSES } from "@rapport/shared";
import { z } from "zod";
import { ZTags } from "../../lib/tags.ts";
import { ZToneFinding } from "../tone/tone.schema.ts";

const ZBody = z
  .string()
  .max(20_000)
  .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" })
  .refine((s) => s.trim().length > 0, { message: "a reply text is required" });
const ZLocaleKey = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, "a language code such as en or vi");
const ZBodies = z
  .record(ZLocaleKey, ZBody)
  .refine((b) => Object.keys(b).length >= 1 && Object.keys(b).length <= 20, {
    message: "one to twenty languages",
  });

export const ZMacroAction = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_status"), value: z.enum(TICKET_STATUSES) }),
  z.strictObject({ type: z.literal("set_priority"), value: z.enum(TICKET_PRIORITIES) }),
  z.strictObject({ type: z.literal("add_tags"), tags: ZTags.refine((t) => t.length > 0) }),
  z.strictObject({ type: z.literal("remove_tags"), tags: ZTags.refine((t) => t.length > 0) }),
  z.strictObject({ type: z.literal("assign_to_me") }),
  z.strictObject({ type: z.literal("assign_team"), teamId: z.uuid() }),
]);
export type TMacroAction = z.infer<typeof ZMacroAction>;
/** A stored action as the API answers it (the same vocabulary, without the input checks). */
export const ZMacroActionOut = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set_status"), value: z.enum(TICKET_STATUSES) }),
  z.object({ type: z.literal("set_priority"), value: z.enum(TICKET_PRIORITIES) }),
  z.object({ type: z.literal("add_tags"), tags: z.array(z.string()) }),
  z.object({ type: z.literal("remove_tags"), tags: z.array(z.string()) }),
  z.object({ type: z.literal("assign_to_me") }),
  z.object({ type: z.literal("assign_team"), teamId: z.uuid() }),
]);

const ZTitle = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[\u0000\r\n]/.test(s), { message: "one line without NUL characters" });

export const ZCreateMacro = z.strictObject({
  title: ZTitle,
  bodies: ZBodies,
  actions: z.array(ZMacroAction).max(10).default([]),
  /** Shared with every agent (admins and managers), or personal (the creator's only). */
  shared: z.boolean().default(false),
});
export type TCreateMacro = z.infer<typeof ZCreateMacro>;
export const ZUpdateMacro = z.strictObject({
  title: ZTitle.optional(),
  bodies: ZBodies.optional(),
  actions: z.array(ZMacroAction).max(10).optional(),
});
export type TUpdateMacro = z.infer<typeof ZUpdateMacro>;

export const ZMacro = z.object({
  id: z.uuid(),
  title: z.string(),
  bodies: z.record(z.string(), z.string()),
  actions: z.array(ZMacroActionOut),
  shared: z.boolean(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  usageCount: z.number().int(),
  /** The caller may edit or delete it. */
  editable: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TMacro = z.infer<typeof ZMacro>;
/**
 * A macro as saved (created or changed), with the tone check of its texts: the phrases the
 * tone rules of each language flag (the language's key is absent when nothing is flagged).
 * Saving is never refused for them; the editor shows them first.
 */
export const ZSavedMacro = ZMacro.extend({ tone: z.record(z.string(), z.array(ZToneFinding)) });
export type TSavedMacro = z.infer<typeof ZSavedMacro>;

export const ZMacroQuery = z.strictObject({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZApplyMacro = z.strictObject({
  ticketId: z.uuid(),
  /** The language wanted; default: the ticket's, else the agent's, else the first the macro has. */
  locale: ZLocaleKey.optional(),
});
export const ZAppliedMacro = z.object({
  locale: z.string(),
  /** The reply with placeholders filled, as plain text for the reply box. */
  text: z.string(),
  /** The same as HTML, every value escaped. */
  html: z.string(),
  /** Ticket fields the macro's actions changed. */
  changed: z.array(z.string()),
});
export type TAppliedMacro = z.infer<typeof ZAppliedMacro>;
