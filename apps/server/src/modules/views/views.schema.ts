import { BULK_MAX_IDS } from "@rapport/shared";
import { z } from "zod";
import { ZUpdateTicket } from "../tickets/tickets.schema.ts";

export const ZBulkUpdate = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(BULK_MAX_IDS),
  patch: ZUpdateTicket,
});
export type TBulkUpdate = z.infer<typeof ZBulkUpdate>;
