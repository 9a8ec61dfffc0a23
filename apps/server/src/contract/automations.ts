/** Automations (modules/automations, routing, webhooks): triggers, time rules, routing, transfers, webhooks. */
import type { z } from "zod";
import type { ZSweepResult, ZTimeRule, ZTrigger } from "../modules/automations/automations.schema.ts";
import type { ZAgentRouting, ZTeamRouting, ZTransfers } from "../modules/routing/routing.schema.ts";
import type { ZDelivery, ZWebhook } from "../modules/webhooks/webhooks.schema.ts";

export type Trigger = z.output<typeof ZTrigger>;
export type TimeRule = z.output<typeof ZTimeRule>;
export type RuleCondition = Trigger["conditions"][number];
export type RuleAction = Trigger["actions"][number];
export type SweepResult = z.output<typeof ZSweepResult>;
export type TeamRouting = z.output<typeof ZTeamRouting>;
export type AgentRouting = z.output<typeof ZAgentRouting>;
export type Transfers = z.output<typeof ZTransfers>;
export type Webhook = z.output<typeof ZWebhook>;
export type WebhookDelivery = z.output<typeof ZDelivery>;
