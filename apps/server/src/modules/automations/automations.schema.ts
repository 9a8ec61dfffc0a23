import { z } from "zod";
import { TRIGGER_EVENTS, ZAction, ZCondition } from "./rules.ts";

const ZName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[\u0000\r\n]/.test(s), { message: "one line without NUL characters" });
const common = {
  name: ZName,
  description: z.string().max(2000).default(""),
  match: z.enum(["all", "any"]).default("all"),
  conditions: z.array(ZCondition).max(50).default([]),
  actions: z.array(ZAction).min(1).max(20),
  active: z.boolean().default(true),
  position: z.number().int().min(0).max(100_000).default(0),
};

export const ZCreateTrigger = z.strictObject({
  ...common,
  events: z.array(z.enum(TRIGGER_EVENTS)).min(1).max(4),
});
export type TCreateTrigger = z.infer<typeof ZCreateTrigger>;
export const ZUpdateTrigger = z.strictObject({
  name: ZName.optional(),
  description: z.string().max(2000).optional(),
  match: z.enum(["all", "any"]).optional(),
  conditions: z.array(ZCondition).max(50).optional(),
  actions: z.array(ZAction).min(1).max(20).optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  events: z.array(z.enum(TRIGGER_EVENTS)).min(1).max(4).optional(),
});
export type TUpdateTrigger = z.infer<typeof ZUpdateTrigger>;

const ruleOut = {
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  match: z.enum(["all", "any"]),
  conditions: z.array(ZCondition),
  /** As stored (validated by ZAction on write; tag lists are normalized then, so no transform here). */
  actions: z.array(z.looseObject({ type: z.string() })),
  active: z.boolean(),
  position: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
export const ZTrigger = z.object({ ...ruleOut, events: z.array(z.enum(TRIGGER_EVENTS)) });
export type TTrigger = z.infer<typeof ZTrigger>;

export const ZCreateTimeRule = z.strictObject({ ...common, conditions: z.array(ZCondition).min(1).max(50) });
export type TCreateTimeRule = z.infer<typeof ZCreateTimeRule>;
export const ZUpdateTimeRule = ZUpdateTrigger.omit({ events: true });
export type TUpdateTimeRule = z.infer<typeof ZUpdateTimeRule>;
export const ZTimeRule = z.object({ ...ruleOut, lastRunAt: z.iso.datetime().nullable() });
export type TTimeRule = z.infer<typeof ZTimeRule>;
export const ZSweepResult = z.object({
  rules: z.number().int(),
  acted: z.number().int(),
  perRule: z.record(z.string(), z.number().int()),
});
