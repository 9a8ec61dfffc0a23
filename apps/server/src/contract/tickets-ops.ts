/** Merging, splitting and linking tickets (modules/ticketops), and side conversations (modules/sideconv). */
import type { z } from "zod";
import type {
  ZSideConversation,
  ZSideMessage,
  ZSideReply,
  ZSideUpdate,
  ZStartSideConversation,
} from "../modules/sideconv/sideconv.schema.ts";
import type {
  ZLinkedTicket,
  ZMergeResult,
  ZMergeTickets,
  ZSplitMessage,
  ZSplitResult,
  ZTicketLinks,
} from "../modules/ticketops/ticketops.schema.ts";

export type LinkedTicket = z.output<typeof ZLinkedTicket>;
export type TicketLinks = z.output<typeof ZTicketLinks>;
export type MergeTicketsBody = z.input<typeof ZMergeTickets>;
export type MergeResult = z.output<typeof ZMergeResult>;
export type SplitMessageBody = z.input<typeof ZSplitMessage>;
export type SplitResult = z.output<typeof ZSplitResult>;

export type SideMessage = z.output<typeof ZSideMessage>;
export type SideConversation = z.output<typeof ZSideConversation>;
export type StartSideConversationBody = z.input<typeof ZStartSideConversation>;
export type SideReplyBody = z.input<typeof ZSideReply>;
export type SideUpdateBody = z.input<typeof ZSideUpdate>;
