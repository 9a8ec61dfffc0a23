/** Service levels (modules/sla): business-hours calendars, policies, a ticket's clocks. */
import type { z } from "zod";
import type {
  ZCalendar,
  ZCalendarInput,
  ZCalendarList,
  ZCalendarPatch,
  ZPolicy,
  ZPolicyInput,
  ZPolicyList,
  ZPolicyPatch,
  ZSlaTarget,
  ZTicketSla,
} from "../modules/sla/sla.schema.ts";

export type SlaCalendar = z.output<typeof ZCalendar>;
export type SlaCalendarList = z.output<typeof ZCalendarList>;
export type CreateSlaCalendarBody = z.input<typeof ZCalendarInput>;
export type UpdateSlaCalendarBody = z.input<typeof ZCalendarPatch>;
export type SlaPolicy = z.output<typeof ZPolicy>;
export type SlaPolicyList = z.output<typeof ZPolicyList>;
export type CreateSlaPolicyBody = z.input<typeof ZPolicyInput>;
export type UpdateSlaPolicyBody = z.input<typeof ZPolicyPatch>;
export type SlaTarget = z.output<typeof ZSlaTarget>;
export type TicketSla = z.output<typeof ZTicketSla>;
