import type { CreatePromiseBody, CustomerPromise, CustomerPromiseList } from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, qs } from "../../lib/api.ts";
import { useRefreshOnNotice } from "../notifications/api.ts";

export { PROMISE_KINDS, type PromiseKind } from "@rapport/shared";

export const usePromises = (q: { ticketId?: string; contactId?: string; owner?: string; status?: string }) =>
  useQuery({
    queryKey: ["promises", q],
    queryFn: () => get<CustomerPromiseList>(`/promises${qs(q)}`),
  });
/** Overdue promises: read again when the sweep pushes a `promise.overdue` or reminder notice. */
export function useOverduePromises() {
  useRefreshOnNotice(["promise.overdue", "promise.reminder"], ["promises"]);
  return useQuery({
    queryKey: ["promises", "overdue"],
    queryFn: () => get<CustomerPromiseList>("/promises/overdue"),
  });
}

export function useCreatePromise() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: CreatePromiseBody) => post<CustomerPromise>("/promises", p),
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
