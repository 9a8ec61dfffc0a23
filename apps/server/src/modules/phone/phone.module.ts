import { inArray } from "drizzle-orm";
import { addMergeHook, type MergeHook } from "../contacts/contacts.merge.ts";
import type { RapportModule } from "../registry.ts";
import { listCallbacks, myReminders, REMINDER_JOB, runReminder } from "./callbacks.service.ts";
import { phoneRoutes } from "./phone.routes.ts";
import { callbacks, calls } from "./phone.table.ts";
import { registerPhoneTimeline } from "./phone.timeline.ts";

/** A merge moves the duplicates' calls and call-backs to the surviving contact. */
const movePhoneRows: MergeHook = async (tx, _ctx, survivorId, sourceIds) => {
  await tx.update(calls).set({ contactId: survivorId }).where(inArray(calls.contactId, sourceIds));
  await tx.update(callbacks).set({ contactId: survivorId }).where(inArray(callbacks.contactId, sourceIds));
};

registerPhoneTimeline();
addMergeHook(movePhoneRows);

export const phoneModule: RapportModule = {
  name: "phone",
  routes: phoneRoutes,
  bootstrap: {
    overdueCallbacks: (ctx) => listCallbacks(ctx, { status: "open", overdue: "true", limit: 100 }),
    callbackReminders: (ctx) => myReminders(ctx),
  },
  jobs: {
    [REMINDER_JOB]: {
      run: async (ctx, job) => {
        const p = job.payload as { callbackId?: unknown; dueAt?: unknown };
        if (typeof p.callbackId !== "string" || typeof p.dueAt !== "string") return;
        await runReminder(ctx, { callbackId: p.callbackId, dueAt: p.dueAt });
      },
    },
  },
};
