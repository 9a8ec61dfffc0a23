import type { Macro } from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";

export type { AppliedMacro, Macro, MacroAction } from "@rapport/server/contract";

export function useMacros(q: string) {
  return useQuery({
    queryKey: ["macros", q],
    queryFn: () => get<Macro[]>(`/macros${qs({ q: q.trim() || undefined, limit: 50 })}`),
    staleTime: 30_000,
  });
}
