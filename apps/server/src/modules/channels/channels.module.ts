import { and, inArray, sql } from "drizzle-orm";
import { addMergeHook, type MergeHook } from "../contacts/contacts.merge.ts";
import type { RapportModule } from "../registry.ts";
import { channelsRoutes } from "./channels.routes.ts";
import { channelIdentities } from "./channels.table.ts";
import { INBOUND_JOB, runInboundJob } from "./inbound.ts";
import { DELIVER_JOB, deliver, deliveryFailed } from "./outbound.ts";

/** A merge moves the duplicates' channel identities (a sender id keeps one contact per channel). */
const moveIdentities: MergeHook = async (tx, _ctx, survivorId, sourceIds) => {
  await tx.execute(sql`delete from channel_identities i where i.contact_id in ${sourceIds}
    and exists (select 1 from channel_identities j where j.channel_id = i.channel_id and j.external_id = i.external_id
      and j.contact_id = ${survivorId})`);
  await tx
    .update(channelIdentities)
    .set({ contactId: survivorId })
    .where(and(inArray(channelIdentities.contactId, sourceIds)));
};

addMergeHook(moveIdentities);

const idOf = (payload: unknown, key: string) => {
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === "string" ? v : null;
};

export const channelsModule: RapportModule = {
  name: "channels",
  routes: channelsRoutes,
  jobs: {
    [INBOUND_JOB]: {
      run: async (ctx, job) => {
        const id = idOf(job.payload, "inboundId");
        if (id) await runInboundJob(ctx, id);
      },
    },
    [DELIVER_JOB]: {
      run: async (ctx, job) => {
        const id = idOf(job.payload, "outboundId");
        if (id) await deliver(ctx, id, job.attempts);
      },
      onFailure: async (ctx, job, error, willRetry) => {
        const id = idOf(job.payload, "outboundId");
        if (id) await deliveryFailed(ctx, id, error, willRetry);
      },
    },
  },
};
