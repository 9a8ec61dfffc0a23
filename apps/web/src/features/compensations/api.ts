import type {
  ApprovalConfig,
  ApproveBody,
  Compensation,
  CompensationList,
  CompensationReport,
  CreateCompensationBody,
  RejectBody,
  ReverseBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get, post, qs } from "../../lib/api.ts";

export type { ApprovalConfig, Compensation, LimitRule } from "@rapport/server/contract";

const KEY = ["compensations"];
export const useCompensations = (q: { ticketId?: string; contactId?: string }) =>
  useQuery({
    queryKey: [...KEY, q],
    queryFn: () => get<CompensationList>(`/compensations${qs(q)}`),
    enabled: !!(q.ticketId || q.contactId),
  });
export const useApprovals = (status: "pending" | "decided") =>
  useQuery({
    queryKey: [...KEY, "approvals", status],
    queryFn: () => get<CompensationList>(`/approvals${qs({ status })}`),
  });
export const useApprovalConfig = () =>
  useQuery({ queryKey: [...KEY, "config"], queryFn: () => get<ApprovalConfig>("/approval-limits") });
export const useReport = (from: string, to: string) =>
  useQuery({
    queryKey: [...KEY, "report", from, to],
    queryFn: () => get<CompensationReport>(`/compensations/report${qs({ from, to })}`),
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
  useInvalidating((b: CreateCompensationBody) => post<Compensation>("/compensations", b));
export const useDecide = () =>
  useInvalidating((d: { id: string; approve: boolean; amountMinor?: number; comment: string }) =>
    post<Compensation>(
      `/approvals/${d.id}/${d.approve ? "approve" : "reject"}`,
      d.approve
        ? ({
            ...(d.amountMinor ? { amountMinor: d.amountMinor } : {}),
            comment: d.comment,
          } satisfies ApproveBody)
        : ({ comment: d.comment } satisfies RejectBody),
    ),
  );
export const useReverse = () =>
  useInvalidating((d: { id: string; reason: string }) =>
    post<Compensation>(`/compensations/${d.id}/reverse`, { reason: d.reason } satisfies ReverseBody),
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
