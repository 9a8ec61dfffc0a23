import type { EmailSending, GettingStarted } from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch } from "../../lib/api.ts";
import type { Me } from "../../lib/types.ts";

export const gettingStartedKey = ["getting-started"] as const;
export const emailSendingKey = ["email-sending"] as const;

/** The admin's checklist (GET /getting-started); refetched when the tab regains focus. */
export function useGettingStarted(me: Me) {
  return useQuery({
    queryKey: gettingStartedKey,
    queryFn: () => get<GettingStarted>("/getting-started"),
    enabled: me.user.role === "admin",
    staleTime: 15_000,
    refetchOnWindowFocus: true,
  });
}

export function useDismissGettingStarted() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (dismissed: boolean) => patch<GettingStarted>("/getting-started", { dismissed }),
    onSuccess: (data) => qc.setQueryData(gettingStartedKey, data),
  });
}

/** Whether an active mailbox can send email (GET /email/sending). */
export function useEmailSending() {
  return useQuery({
    queryKey: emailSendingKey,
    queryFn: () => get<EmailSending>("/email/sending"),
    staleTime: 60_000,
  });
}
