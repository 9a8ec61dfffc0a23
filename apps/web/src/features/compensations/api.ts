import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get, post, qs } from "../../lib/api.ts";

export type Compensation = {
  id: string;
  ticket: { id: string; number: number; subject: string };
  contact: { id: string; name: string };
  teamId: string | null;
  agent: { id: string; name: string };
  kind: string;
  amountMinor: number;
  grantedMinor: number | null;
  currency: string;
  reason: string;
  status: "granted" | "pending_approval" | "rejected" | "reversed";
  month: string;
  approverStep: "team_lead" | "manager" | "admin" | null;
  escalateAt: string | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionComment: string | null;
  createdAt: string;
  can: { decide: boolean; reverse: boolean };
};
export type LimitRule = {
  scope: "role" | "team" | "user";
  scopeId: string;
  kind: string;
  currency: string;
  perCaseMinor: number | null;
  perMonthMinor: number | null;
  unlimited: boolean;
};
export type ApprovalConfig = {
  chain: Array<"team_lead" | "manager" | "admin">;
  escalateAfterMinutes: number;
  unlimitedRoles: string[];
  promiseDueHours: number;
  kinds: Array<{ key: string; label: string; active: boolean; builtin: boolean }>;
  teamLeads: Array<{ teamId: string; userId: string }>;
  limits: LimitRule[];
  mine: Array<{
    kind: string;
    currency: string;
    perCaseMinor: number | null;
    perMonthMinor: number | null;
    unlimited: boolean;
    usedThisMonthMinor: number;
  }>;
  canEdit: boolean;
};
export type Report = {
  rows: Array<{
    month: string;
    agent: { id: string; name: string };
    teamName: string | null;
    kind: string;
    currency: string;
    grantedCount: number;
    selfGrantedMinor: number;
    approvedMinor: number;
    requestedCount: number;
    rejectedCount: number;
    perMonthMinor: number | null;
    unlimited: boolean;
  }>;
  turnaround: Array<{
    month: string;
    decided: number;
    medianMinutes: number | null;
    p90Minutes: number | null;
    escalated: number;
    pending: number;
  }>;
};

const KEY = ["compensations"];
export const useCompensations = (q: { ticketId?: string; contactId?: string }) =>
  useQuery({
    queryKey: [...KEY, q],
    queryFn: () => get<{ items: Compensation[] }>(`/compensations${qs(q)}`),
    enabled: !!(q.ticketId || q.contactId),
  });
export const useApprovals = (status: "pending" | "decided") =>
  useQuery({
    queryKey: [...KEY, "approvals", status],
    queryFn: () => get<{ items: Compensation[] }>(`/approvals${qs({ status })}`),
  });
export const useApprovalConfig = () =>
  useQuery({ queryKey: [...KEY, "config"], queryFn: () => get<ApprovalConfig>("/approval-limits") });
export const useReport = (from: string, to: string) =>
  useQuery({
    queryKey: [...KEY, "report", from, to],
    queryFn: () => get<Report>(`/compensations/report${qs({ from, to })}`),
  });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      void qc.invalidateQueries({ queryKey: ["promises"] });
    },
  });
}
export const useGrant = () =>
  useInvalidating(
    (b: {
      ticketId: string;
      kind: string;
      amountMinor: number;
      currency: string;
      reason: string;
      tellCustomer: boolean;
    }) => post<Compensation>("/compensations", b),
  );
export const useDecide = () =>
  useInvalidating((d: { id: string; approve: boolean; amountMinor?: number; comment: string }) =>
    post<Compensation>(
      `/approvals/${d.id}/${d.approve ? "approve" : "reject"}`,
      d.approve
        ? { ...(d.amountMinor ? { amountMinor: d.amountMinor } : {}), comment: d.comment }
        : { comment: d.comment },
    ),
  );
export const useReverse = () =>
  useInvalidating((d: { id: string; reason: string }) =>
    post<Compensation>(`/compensations/${d.id}/reverse`, { reason: d.reason }),
  );
export const useSaveConfig = () =>
  useInvalidating((c: Omit<ApprovalConfig, "mine" | "canEdit">) =>
    api<ApprovalConfig>("PUT", "/approval-limits", {
      ...c,
      kinds: c.kinds
        .filter((k) => !k.builtin || !k.active)
        .map(({ key, label, active }) => ({ key, label, active })),
    }),
  );
