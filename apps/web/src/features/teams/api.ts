import { useQuery } from "@tanstack/react-query";
import { get } from "../../lib/api.ts";
import type { Team } from "../../lib/types.ts";

/**
 * The organization's teams (primed from `/bootstrap`, so the first screen makes no request).
 * Here rather than in `components/Layout.tsx`: the shell imports every feature, so a feature
 * importing the shell closed an import circle.
 */
export function useTeams() {
  return useQuery({ queryKey: ["teams"], queryFn: () => get<Team[]>("/teams"), staleTime: 60_000 });
}
