import type { TeamRouting, TimeRule, Transfers, Trigger } from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { get } from "../../lib/api.ts";

export type {
  AgentRouting,
  RuleAction as Action,
  RuleCondition as Condition,
  TeamRouting,
  Transfers,
  Webhook,
  WebhookDelivery as Delivery,
} from "@rapport/server/contract";
export type RoutingMode = TeamRouting["mode"];
/** The rules list shows triggers and time rules with one editor: the fields of either. */
export type Rule = Omit<Trigger, "events"> & {
  events?: Trigger["events"];
  lastRunAt?: TimeRule["lastRunAt"];
};

export function useTransfers(ticketId: string, version: string) {
  return useQuery({
    queryKey: ["transfers", ticketId, version],
    queryFn: () => get<Transfers>(`/tickets/${ticketId}/transfers`),
  });
}
