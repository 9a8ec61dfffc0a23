/** Phone (modules/phone): logged calls and the call-back queue. */
import type { z } from "zod";
import type {
  ZCall,
  ZCallback,
  ZCallbackList,
  ZCallbackOutcome,
  ZCallbackPage,
  ZCallbackReport,
  ZCallList,
  ZCreateCallback,
  ZLogCall,
  ZUpdateCallback,
} from "../modules/phone/phone.schema.ts";

export type Call = z.output<typeof ZCall>;
export type CallList = z.output<typeof ZCallList>;
export type LogCallBody = z.input<typeof ZLogCall>;
export type Callback = z.output<typeof ZCallback>;
export type CallbackList = z.output<typeof ZCallbackList>;
export type CallbackPage = z.output<typeof ZCallbackPage>;
export type CallbackReport = z.output<typeof ZCallbackReport>;
export type CreateCallbackBody = z.input<typeof ZCreateCallback>;
export type UpdateCallbackBody = z.input<typeof ZUpdateCallback>;
export type CallbackOutcomeBody = z.input<typeof ZCallbackOutcome>;
