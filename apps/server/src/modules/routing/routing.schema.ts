import { AVAILABILITIES, ROLES } from "@rapport/shared";
import { z } from "zod";
import { ROUTING_MODES } from "./routing.table.ts";

const ZLanguageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language code such as vi or km");
const ZSkill = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s,\u0000-\u001f]+$/, "a skill is one word (the tag it matches)")
  .transform((s) => s.toLowerCase());

export const ZTeamRouting = z.object({
  teamId: z.uuid(),
  name: z.string(),
  mode: z.enum(ROUTING_MODES),
  lastAssignedAt: z.iso.datetime().nullable(),
});
export type TTeamRouting = z.infer<typeof ZTeamRouting>;
export const ZSetTeamRouting = z.strictObject({ mode: z.enum(ROUTING_MODES) });

export const ZAgentRouting = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  availability: z.enum(AVAILABILITIES),
  languages: z.array(z.string()),
  skills: z.array(z.string()),
  capacity: z.number().int().nullable(),
  /** Unsolved tickets assigned now. */
  load: z.number().int(),
});
export type TAgentRouting = z.infer<typeof ZAgentRouting>;
export const ZUpdateAgentRouting = z.strictObject({
  languages: z.array(ZLanguageCode).max(20).optional(),
  skills: z.array(ZSkill).max(50).optional(),
  capacity: z.number().int().min(0).max(10_000).nullable().optional(),
});
export type TUpdateAgentRouting = z.infer<typeof ZUpdateAgentRouting>;

export const ZTransferInput = z.strictObject({
  teamId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine((s) => !/[\u0000]/.test(s), { message: "NUL characters are not allowed" }),
});

const ZRef = z.object({ id: z.uuid(), name: z.string() }).nullable();
export const ZTransfer = z.object({
  id: z.number().int(),
  fromTeam: ZRef,
  toTeam: ZRef,
  fromAssignee: ZRef,
  toAssignee: ZRef,
  reason: z.string(),
  actor: z.object({ type: z.string(), id: z.uuid().nullable(), name: z.string().nullable() }),
  createdAt: z.iso.datetime(),
});
export type TTransfer = z.infer<typeof ZTransfer>;
export const ZTransfers = z.object({
  count: z.number().int(),
  /** Transferred at least twice: the UI warns the agent. */
  runaround: z.boolean(),
  items: z.array(ZTransfer),
});
export type TTransfers = z.infer<typeof ZTransfers>;
