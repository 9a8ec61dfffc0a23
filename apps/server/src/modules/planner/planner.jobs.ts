import type { JobHandlers } from "../../jobs/worker.ts";
import { absenceJobHandlers } from "./planner.absences.ts";
import { reminderJobHandlers } from "./planner.reminders.ts";

/** The planner's job kinds, for the worker: absence boundaries and the hourly morning-plan round. */
export const plannerJobHandlers: JobHandlers = { ...absenceJobHandlers, ...reminderJobHandlers };
