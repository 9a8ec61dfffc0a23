import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext } from "react";
import { setLocale } from "../../i18n/index.ts";
import { get, post, setCsrfToken } from "../../lib/api.ts";
import type { Bootstrap, Me } from "../../lib/types.ts";
import type { FeatureExtension } from "../extension.ts";
import { countsKey } from "../realtime/RealtimeProvider.tsx";

/**
 * The start-up data (GET /bootstrap): who is signed in, the teams, the view counts and each
 * feature's start-up parts. Invalidate it to reload the signed-in agent (after a sign-in or a
 * change of language).
 */
export const meKey = ["bootstrap"] as const;

/** Set while an agent session is believed to exist, so the app may ask for the list in parallel. */
const SIGNED_IN_HINT = "rapport.signedIn";
export const probablySignedIn = () => localStorage.getItem(SIGNED_IN_HINT) === "1";

type BootstrapParts = NonNullable<FeatureExtension["bootstrap"]>;

/**
 * The features' start-up parts (`contributions("bootstrap")`), provided by the entry (`main.tsx`).
 * A context rather than an import of `features/extensions.ts`: every feature imports this file,
 * so importing the feature list here closed an import circle through the features.
 */
export const BootstrapPartsContext = createContext<BootstrapParts>([]);

/**
 * Puts every part of the answer into the query cache of the hook that would otherwise fetch
 * it (teams, counts, and what features list under `bootstrap`), so the first screen makes no
 * further request than its list.
 */
function prime(qc: QueryClient, parts: BootstrapParts, b: Bootstrap) {
  if (!b.me) return;
  qc.setQueryData(["teams"], b.teams);
  qc.setQueryData(countsKey, { counts: b.counts });
  for (const { part, queryKey } of parts)
    if (b.parts[part] !== undefined) qc.setQueryData(queryKey, b.parts[part]);
}

function bootstrapOptions(qc: QueryClient, parts: BootstrapParts) {
  return {
    queryKey: meKey,
    queryFn: async (): Promise<Bootstrap> => {
      const b = await get<Bootstrap>("/bootstrap");
      if (b.me) {
        setCsrfToken(b.me.csrfToken);
        await setLocale(b.me.user.locale);
        localStorage.setItem(SIGNED_IN_HINT, "1");
      } else localStorage.removeItem(SIGNED_IN_HINT);
      prime(qc, parts, b);
      return b;
    },
    staleTime: Number.POSITIVE_INFINITY,
  };
}

/** The start-up data, fetched once. */
export function useBootstrap() {
  return useQuery(bootstrapOptions(useQueryClient(), useContext(BootstrapPartsContext)));
}

/** The signed-in agent, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    ...bootstrapOptions(useQueryClient(), useContext(BootstrapPartsContext)),
    select: (b: Bootstrap): Me | null => b.me,
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useCallback(async () => {
    await post("/auth/logout");
    setCsrfToken(null);
    localStorage.removeItem(SIGNED_IN_HINT);
    qc.clear();
    qc.setQueryData<Bootstrap>(meKey, { needsSetup: false, me: null, teams: [], counts: {}, parts: {} });
  }, [qc]);
}
