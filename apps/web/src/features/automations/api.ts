import { useQuery } from "@tanstack/react-query";
import { get } from "../../lib/api.ts";

export type Ref = { id: string; name: string } | null;
export type Transfers = {
  count: number;
  runaround: boolean;
  items: Array<{
    id: number;
    fromTeam: Ref;
    toTeam: Ref;
    fromAssignee: Ref;
    toAssignee: Ref;
    reason: string;
    actor: { type: string; id: string | null; name: string | null };
    createdAt: string;
  }>;
};
export type TeamRouting = { teamId: string; name: string; mode: RoutingMode; lastAssignedAt: string | null };
export type RoutingMode = "manual" | "round_robin" | "least_loaded";
export type AgentRouting = {
  id: string;
  name: string;
  role: string;
  active: boolean;
  availability: "online" | "away" | "offline";
  languages: string[];
  skills: string[];
  capacity: number | null;
  load: number;
};
export type Condition = { field: string; op: string; value?: unknown };
export type Action = { type: string } & Record<string, unknown>;
export type Rule = {
  id: string;
  name: string;
  description: string;
  match: "all" | "any";
  conditions: Condition[];
  actions: Action[];
  active: boolean;
  position: number;
  events?: string[];
  lastRunAt?: string | null;
};
export type Webhook = {
  id: string;
  name: string;
  url: string;
  events: string[];
  active: boolean;
  secretHint: string;
  secret?: string;
};
export type Delivery = {
  id: string;
  event: string;
  status: "pending" | "success" | "failed";
  attempts: number;
  responseCode: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
};

export function useTransfers(ticketId: string, version: string) {
  return useQuery({
    queryKey: ["transfers", ticketId, version],
    queryFn: () => get<Transfers>(`/tickets/${ticketId}/transfers`),
  });
}
