import { INBOUND_STATUSES, LOCALES, OUTBOUND_STATUSES, TICKET_PRIORITIES } from "@rapport/shared";
import { z } from "zod";

const ZHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$/, "a host name or IP address");
const ZPort = z.number().int().min(1).max(65535);
const ZFolder = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[\r\n\u0000]/.test(s), { message: "one line" });
const ZSecret = z
  .string()
  .min(1)
  .max(500)
  .refine((s) => !/[\r\n\u0000]/.test(s), { message: "one line" });
const ZTemplate = z.strictObject({
  subject: z
    .string()
    .min(1)
    .max(300)
    .refine((s) => !/[\r\n\u0000]/.test(s), { message: "one line" }),
  body: z.string().min(1).max(10_000),
});
const ZTemplates = z.partialRecord(z.enum(LOCALES), ZTemplate);

const ZImapIn = z.strictObject({
  host: ZHost.nullable().optional(),
  port: ZPort.nullable().optional(),
  tls: z.boolean().optional(),
  user: z.string().max(320).nullable().optional(),
  password: ZSecret.nullable().optional(),
  folder: ZFolder.optional(),
  moveTo: ZFolder.nullable().optional(),
  pollSeconds: z.number().int().min(5).max(3600).optional(),
});
const ZSmtpIn = z.strictObject({
  host: ZHost.nullable().optional(),
  port: ZPort.nullable().optional(),
  tls: z.enum(["none", "starttls", "tls"]).optional(),
  user: z.string().max(320).nullable().optional(),
  password: ZSecret.nullable().optional(),
});

const mailboxFields = {
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .refine((s) => !/[\r\n\u0000"<>]/.test(s), { message: "one line without quotes or angle brackets" }),
  teamId: z.uuid().nullable().optional(),
  defaultPriority: z.enum(TICKET_PRIORITIES).optional(),
  inbound: z.enum(["smtp", "imap"]).optional(),
  imap: ZImapIn.optional(),
  smtp: ZSmtpIn.optional(),
  ackEnabled: z.boolean().optional(),
  /** The acknowledgement lists up to three published articles for the request. */
  ackArticles: z.boolean().optional(),
  ackTemplates: ZTemplates.optional(),
  active: z.boolean().optional(),
};
const ZAddress = z
  .email()
  .max(254)
  .refine((s) => !s.includes("+"), { message: "plus-addresses are derived from the mailbox address" });

export const ZCreateMailbox = z.strictObject({ address: ZAddress, ...mailboxFields });
export type TCreateMailbox = z.infer<typeof ZCreateMailbox>;
export const ZUpdateMailbox = z.strictObject({
  address: ZAddress.optional(),
  ...mailboxFields,
  displayName: mailboxFields.displayName.optional(),
});
export type TUpdateMailbox = z.infer<typeof ZUpdateMailbox>;

export const ZMailbox = z.object({
  id: z.uuid(),
  address: z.string(),
  displayName: z.string(),
  teamId: z.uuid().nullable(),
  defaultPriority: z.enum(TICKET_PRIORITIES),
  inbound: z.enum(["smtp", "imap"]),
  imap: z.object({
    host: z.string().nullable(),
    port: z.number().nullable(),
    tls: z.boolean(),
    user: z.string().nullable(),
    hasPassword: z.boolean(),
    folder: z.string(),
    moveTo: z.string().nullable(),
    pollSeconds: z.number(),
  }),
  smtp: z.object({
    host: z.string().nullable(),
    port: z.number().nullable(),
    tls: z.enum(["none", "starttls", "tls"]),
    user: z.string().nullable(),
    hasPassword: z.boolean(),
  }),
  ackEnabled: z.boolean(),
  ackArticles: z.boolean(),
  ackTemplates: z.record(z.string(), z.object({ subject: z.string(), body: z.string() }).optional()),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TMailbox = z.infer<typeof ZMailbox>;

export const ZInbound = z.object({
  id: z.uuid(),
  mailboxId: z.uuid().nullable(),
  source: z.string(),
  size: z.number(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  messageIdHeader: z.string().nullable(),
  subject: z.string().nullable(),
  from: z.string().nullable(),
  status: z.enum(INBOUND_STATUSES),
  error: z.string().nullable(),
  attempts: z.number(),
  ticketId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  receivedAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
});
export type TInbound = z.infer<typeof ZInbound>;
export const ZInboundQuery = z.strictObject({
  status: z.enum(INBOUND_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZOutbound = z.object({
  id: z.uuid(),
  kind: z.string(),
  mailboxId: z.uuid().nullable(),
  ticketId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  messageIdHeader: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  status: z.enum(OUTBOUND_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type TOutbound = z.infer<typeof ZOutbound>;
export const ZOutboundQuery = z.strictObject({
  status: z.enum(OUTBOUND_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The email side of one message on a ticket, for the agent app's thread view. */
export const ZEmailMessage = z.object({
  messageId: z.uuid(),
  direction: z.enum(["in", "out"]),
  messageIdHeader: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  /** Once images are allowed: the message body with its remote images (null otherwise). */
  bodyHtml: z.string().nullable(),
  /** The whole original, sanitized; remote images blocked unless imagesAllowed. */
  fullHtml: z.string(),
  fullText: z.string(),
  /** The folded quoted history / signature ("show quoted text"). */
  quotedText: z.string(),
  remoteImages: z.number(),
  imagesAllowed: z.boolean(),
  autoSubmitted: z.boolean(),
  withheldAttachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), reason: z.string() }),
  ),
  delivery: z
    .object({
      outboundId: z.uuid(),
      status: z.enum(OUTBOUND_STATUSES),
      attempts: z.number(),
      error: z.string().nullable(),
      sentAt: z.iso.datetime().nullable(),
    })
    .nullable(),
});
export type TEmailMessage = z.infer<typeof ZEmailMessage>;
export const ZTicketMessageParams = z.strictObject({ id: z.uuid(), messageId: z.uuid() });
