/** Live chat (modules/chat), as the agent app uses it: sites, settings, agents, a ticket's chat. */
import type { z } from "zod";
import type {
  ZAvailabilityState,
  ZChatAgent,
  ZChatInfo,
  ZChatSettings,
  ZMyChat,
  ZPrechat,
  ZSetAvailability,
  ZSite,
  ZSiteInput,
  ZTransferChat,
  ZTransferResult,
} from "../modules/chat/chat.schema.ts";

export type ChatSite = z.output<typeof ZSite>;
export type ChatSiteBody = z.input<typeof ZSiteInput>;
export type PrechatField = z.output<typeof ZPrechat>["fields"][number];
export type ChatSettings = z.output<typeof ZChatSettings>;
export type ChatAgent = z.output<typeof ZChatAgent>;
export type SetAvailabilityBody = z.input<typeof ZSetAvailability>;
export type AvailabilityState = z.output<typeof ZAvailabilityState>;
export type ChatInfo = z.output<typeof ZChatInfo>;
export type MyChat = z.output<typeof ZMyChat>;
export type TransferChatBody = z.input<typeof ZTransferChat>;
export type TransferChatResult = z.output<typeof ZTransferResult>;
