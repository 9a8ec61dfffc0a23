import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { setLocale } from "../../i18n/index.ts";
import { ApiError, get, post, setCsrfToken } from "../../lib/api.ts";
import type { Me } from "../../lib/types.ts";

export const meKey = ["me"] as const;

/** The signed-in agent, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await get<Me>("/me");
        setCsrfToken(me.csrfToken);
        await setLocale(me.user.locale);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSetupState() {
  return useQuery({
    queryKey: ["setup"],
    queryFn: () => get<{ needsSetup: boolean }>("/setup"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useCallback(async () => {
    await post("/auth/logout");
    setCsrfToken(null);
    qc.clear();
    qc.setQueryData(meKey, null);
  }, [qc]);
}
