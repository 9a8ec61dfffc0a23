/** The tone check and its rules (modules/tone): findings, rules, the report. */
import type { z } from "zod";
import type {
  ZCreateToneRule,
  ZToneCheck,
  ZToneCheckResult,
  ZToneFinding,
  ZToneReport,
  ZToneRule,
  ZToneRuleList,
  ZUpdateToneRule,
} from "../modules/tone/tone.schema.ts";

export type ToneCheckBody = z.input<typeof ZToneCheck>;
export type ToneFinding = z.output<typeof ZToneFinding>;
export type ToneCheckResult = z.output<typeof ZToneCheckResult>;
export type ToneRule = z.output<typeof ZToneRule>;
export type ToneRuleList = z.output<typeof ZToneRuleList>;
export type CreateToneRuleBody = z.input<typeof ZCreateToneRule>;
export type UpdateToneRuleBody = z.input<typeof ZUpdateToneRule>;
export type ToneReport = z.output<typeof ZToneReport>;
