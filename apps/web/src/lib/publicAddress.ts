import type { PublicAddress } from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { get } from "./api.ts";

/**
 * The server's PUBLIC_URL: the one address every admin snippet and link shows (widget code,
 * web form, channel webhooks, calendar feeds, email links), never the address this browser
 * happens to use. Until it is loaded, this page's origin stands in.
 */
export function usePublicAddress(): PublicAddress & { loaded: boolean } {
  const q = useQuery({
    queryKey: ["settings", "public-address"],
    queryFn: () => get<PublicAddress>("/settings/public-address"),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return q.data
    ? { ...q.data, loaded: true }
    : { publicUrl: window.location.origin, host: "", warning: null, loaded: false };
}
