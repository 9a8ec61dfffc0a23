import { z } from "zod";

export const ZTeam = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.uuid()),
  createdAt: z.iso.datetime(),
});
export type TTeam = z.infer<typeof ZTeam>;

export const ZCreateTeam = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(""),
  memberIds: z.array(z.uuid()).max(1000).default([]),
});
export type TCreateTeam = z.infer<typeof ZCreateTeam>;

export const ZUpdateTeam = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().max(2000).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});
export type TUpdateTeam = z.infer<typeof ZUpdateTeam>;
