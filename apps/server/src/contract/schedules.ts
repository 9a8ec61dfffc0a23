/** Scheduled report emails (modules/reports/scheduled). */
import type { z } from "zod";
import type {
  ZSchedule,
  ZScheduleInput,
  ZScheduleList,
  ZSchedulePatch,
  ZSendNow,
} from "../modules/reports/scheduled.schema.ts";

export type ReportSchedule = z.output<typeof ZSchedule>;
export type ReportScheduleList = z.output<typeof ZScheduleList>;
export type CreateReportScheduleBody = z.input<typeof ZScheduleInput>;
export type UpdateReportScheduleBody = z.input<typeof ZSchedulePatch>;
export type ReportScheduleSent = z.output<typeof ZSendNow>;
