/** The public contact form's shapes (modules/forms); the submission's own fields are in forms.service.ts. */
import { z } from "zod";

export const ZFormConfig = z.object({
  token: z.string(),
  /** Whether a mailbox can send: the form promises an answer by email only then. */
  emailReplies: z.boolean(),
  minFillMs: z.number().int(),
  maxFiles: z.number().int(),
  maxFileBytes: z.number().int(),
  locales: z.array(z.string()),
  fields: z.array(
    z.object({
      key: z.string(),
      type: z.enum(["text", "number", "date", "select", "boolean"]),
      label: z.string(),
      labels: z.record(z.string(), z.string()),
      required: z.boolean(),
      options: z.array(
        z.object({ value: z.string(), label: z.string(), labels: z.record(z.string(), z.string()) }),
      ),
    }),
  ),
});

export const ZFormSubmitResult = z.object({
  ticketNumber: z.number().int(),
  acknowledgement: z.boolean(),
  callbackRequested: z.boolean(),
});

/** Admins: the last 7 days of submissions by outcome (accepted, honeypot, too fast, rate limited...). */
export const ZFormSubmissionStats = z.object({
  since: z.iso.datetime(),
  byOutcome: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
});
