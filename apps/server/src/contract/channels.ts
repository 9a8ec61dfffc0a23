/** Webhook channels (modules/channels): an outside system posts customer messages and receives replies. */
import type { z } from "zod";
import type {
  ZChannel,
  ZChannelList,
  ZChannelWithSecret,
  ZCreateChannel,
  ZRefusal,
  ZRefusalList,
  ZUpdateChannel,
} from "../modules/channels/channels.schema.ts";

export type WebhookChannel = z.output<typeof ZChannel>;
export type WebhookChannelList = z.output<typeof ZChannelList>;
/** At creation and after a rotation: the signing secret, shown once. */
export type WebhookChannelWithSecret = z.output<typeof ZChannelWithSecret>;
export type CreateWebhookChannelBody = z.input<typeof ZCreateChannel>;
export type UpdateWebhookChannelBody = z.input<typeof ZUpdateChannel>;
export type ChannelRefusal = z.output<typeof ZRefusal>;
export type ChannelRefusalList = z.output<typeof ZRefusalList>;
