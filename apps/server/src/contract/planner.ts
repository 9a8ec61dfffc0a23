/** The contact planner (modules/planner): planned contacts, the month board, settings, absences, cadences. */
import type { z } from "zod";
import type {
  ZAbsence,
  ZAbsenceList,
  ZBoard,
  ZCadence,
  ZCadenceOut,
  ZComplete,
  ZCompleteResult,
  ZCreateAbsence,
  ZIcalToken,
  ZMove,
  ZMoveResult,
  ZPlanContact,
  ZPlannedContact,
  ZPlannedList,
  ZQuickChoice,
  ZSettings,
  ZSpread,
  ZSpreadResult,
  ZToday,
  ZUpdatePlanned,
  ZUpdateSettings,
} from "../modules/planner/planner.schema.ts";

export type PlannedContact = z.output<typeof ZPlannedContact>;
export type PlannedContactList = z.output<typeof ZPlannedList>;
export type PlanContactBody = z.input<typeof ZPlanContact>;
export type UpdatePlannedBody = z.input<typeof ZUpdatePlanned>;
export type PlannerToday = z.output<typeof ZToday>;
export type PlannerBoard = z.output<typeof ZBoard>;
export type PlannerBoardDay = PlannerBoard["days"][number];
export type PlannerSettings = z.output<typeof ZSettings>;
export type UpdatePlannerSettingsBody = z.input<typeof ZUpdateSettings>;
export type MovePlannedBody = z.input<typeof ZMove>;
export type MovePlannedResult = z.output<typeof ZMoveResult>;
export type SpreadDayBody = z.input<typeof ZSpread>;
export type SpreadDayResult = z.output<typeof ZSpreadResult>;
export type PlannerQuickChoice = z.input<typeof ZQuickChoice>;
export type CompletePlannedBody = z.input<typeof ZComplete>;
export type CompletePlannedResult = z.output<typeof ZCompleteResult>;
/** A customer's contact cadence; null: none. */
export type Cadence = z.output<typeof ZCadenceOut>;
export type SetCadenceBody = z.input<typeof ZCadence>;
export type Absence = z.output<typeof ZAbsence>;
export type AbsenceList = z.output<typeof ZAbsenceList>;
export type CreateAbsenceBody = z.input<typeof ZCreateAbsence>;
export type IcalToken = z.output<typeof ZIcalToken>;
