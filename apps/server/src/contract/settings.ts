/** Organization settings beyond the core ones (modules/settings): the public address and the getting-started checklist. */
import type { z } from "zod";
import type {
  ZEmailSending,
  ZGettingStarted,
  ZGettingStartedUpdate,
  ZPublicAddress,
} from "../modules/settings/settings.schema.ts";

export type PublicAddress = z.output<typeof ZPublicAddress>;
export type GettingStarted = z.output<typeof ZGettingStarted>;
export type UpdateGettingStartedBody = z.input<typeof ZGettingStartedUpdate>;
export type EmailSending = z.output<typeof ZEmailSending>;
