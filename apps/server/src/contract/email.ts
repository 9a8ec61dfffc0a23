/** Email (modules/email): mailboxes, the received-mail and outgoing-queue logs, a message's email side. */
import type { z } from "zod";
import type {
  ZCreateMailbox,
  ZEmailMessage,
  ZInbound,
  ZMailbox,
  ZOutbound,
  ZUpdateMailbox,
} from "../modules/email/email.schema.ts";

/** Passwords are never sent back, only whether one is set. */
export type Mailbox = z.output<typeof ZMailbox>;
export type CreateMailboxBody = z.input<typeof ZCreateMailbox>;
export type UpdateMailboxBody = z.input<typeof ZUpdateMailbox>;
export type InboundEmail = z.output<typeof ZInbound>;
export type OutboundEmail = z.output<typeof ZOutbound>;
/** The email side of one message (GET /tickets/:id/email). */
export type EmailMessage = z.output<typeof ZEmailMessage>;
