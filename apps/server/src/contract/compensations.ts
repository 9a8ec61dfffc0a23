/** Compensation and approval limits (modules/compensations): grants, the approval queue, limits, the report. */
import type { z } from "zod";
import type {
  ZApprovalConfig,
  ZApprovalConfigOut,
  ZApprove,
  ZCompensation,
  ZCompensationList,
  ZCreateCompensation,
  ZReject,
  ZReport,
  ZReverse,
} from "../modules/compensations/compensations.schema.ts";

export type Compensation = z.output<typeof ZCompensation>;
export type CompensationList = z.output<typeof ZCompensationList>;
export type CreateCompensationBody = z.input<typeof ZCreateCompensation>;
export type ApproveBody = z.input<typeof ZApprove>;
export type RejectBody = z.input<typeof ZReject>;
export type ReverseBody = z.input<typeof ZReverse>;
export type ApprovalConfig = z.output<typeof ZApprovalConfigOut>;
export type ApprovalConfigBody = z.input<typeof ZApprovalConfig>;
export type LimitRule = ApprovalConfig["limits"][number];
export type CompensationReport = z.output<typeof ZReport>;
