import { useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";

export type MacroAction =
  | { type: "set_status"; value: string }
  | { type: "set_priority"; value: string }
  | { type: "add_tags"; tags: string[] }
  | { type: "remove_tags"; tags: string[] }
  | { type: "assign_to_me" }
  | { type: "assign_team"; teamId: string };

export type Macro = {
  id: string;
  title: string;
  bodies: Record<string, string>;
  actions: MacroAction[];
  shared: boolean;
  owner: { id: string; name: string } | null;
  usageCount: number;
  editable: boolean;
  createdAt: string;
  updatedAt: string;
};
export type AppliedMacro = { locale: string; text: string; html: string; changed: string[] };

export function useMacros(q: string) {
  return useQuery({
    queryKey: ["macros", q],
    queryFn: () => get<Macro[]>(`/macros${qs({ q: q.trim() || undefined, limit: 50 })}`),
    staleTime: 30_000,
  });
}
