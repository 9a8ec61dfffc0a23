import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, qs } from "../../lib/api.ts";
import { useRefreshOnNotice } from "../notifications/api.ts";

export const PROMISE_KINDS = ["call_back", "refund", "discount", "send_info", "follow_up"] as const;
export type PromiseKind = (typeof PROMISE_KINDS)[number];
export type CustomerPromise = {
  id: string;
  ticket: { id: string; number: number; subject: string } | null;
  contact: { id: string; name: string };
  kind: PromiseKind;
  description: string;
  amountMinor: number | null;
  currency: string | null;
  percent: number | null;
  owner: { id: string; name: string };
  dueAt: string;
  status: "open" | "kept" | "cancelled";
  overdue: boolean;
  keptOnTime: boolean | null;
};
export type NewPromise = {
  ticketId?: string;
  contactId?: string;
  kind: PromiseKind;
  description: string;
  amountMinor?: number;
  currency?: string;
  percent?: number;
  dueAt: string;
  remindMinutesBefore?: number;
};

export const usePromises = (q: { ticketId?: string; contactId?: string; owner?: string; status?: string }) =>
  useQuery({
    queryKey: ["promises", q],
    queryFn: () => get<{ items: CustomerPromise[] }>(`/promises${qs(q)}`),
  });
/** Overdue promises: read again when the sweep pushes a `promise.overdue` or reminder notice. */
export function useOverduePromises() {
  useRefreshOnNotice(["promise.overdue", "promise.reminder"], ["promises"]);
  return useQuery({
    queryKey: ["promises", "overdue"],
    queryFn: () => get<{ items: CustomerPromise[] }>("/promises/overdue"),
  });
}

export function useCreatePromise() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: NewPromise) => post<CustomerPromise>("/promises", p),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["promises"] }),
  });
}
export function useUpdatePromise() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: "kept" | "cancelled" }) =>
      patch<CustomerPromise>(`/promises/${id}`, { status }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["promises"] }),
  });
}

/** Money in minor units, shown with Intl in the user's language (VND and KHR have no minor unit shown). */
export function formatMoney(minor: number, currency: string, locale: string) {
  const digits =
    new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
    2;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 10 ** digits);
}
/** Minor units from what the agent typed in major units ("12.50" EUR -> 1250). */
export function toMinor(major: number, currency: string) {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(major * 10 ** digits);
}
