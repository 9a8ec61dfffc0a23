import type {
  CreateToneRuleBody,
  ToneCheckBody,
  ToneCheckResult,
  ToneReport,
  ToneRule,
  ToneRuleList,
  UpdateToneRuleBody,
} from "@rapport/server/contract";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { del, get, patch, post, qs } from "../../lib/api.ts";

export type { ToneFinding, ToneRule } from "@rapport/server/contract";

/** The value `delay` ms after it last changed. */
export function useDebounced<T>(value: T, delay: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), delay);
    return () => clearTimeout(id);
  }, [value, delay]);
  return v;
}

/**
 * The tone findings of a text, checked 400 ms after typing stops; never blocks typing or
 * sending (a failed check shows nothing). Findings whose text no longer stands at their
 * offsets (typed on since) are dropped, so a replacement never hits the wrong words.
 */
export function useToneCheck(text: string, lang: string) {
  const debounced = useDebounced(text, 400);
  const q = useQuery({
    queryKey: ["tone-check", lang, debounced],
    queryFn: () => post<ToneCheckResult>("/tone/check", { text: debounced, lang } satisfies ToneCheckBody),
    enabled: debounced.trim().length > 1 && debounced.length <= 20_000,
    staleTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const findings = (q.data?.findings ?? []).filter((f) => text.slice(f.start, f.end) === f.text);
  return { findings };
}

export const useToneReport = (from: string, to: string) =>
  useQuery({
    queryKey: ["tone-report", from, to],
    queryFn: () =>
      get<ToneReport>(
        `/tone/report${qs({ from: new Date(`${from}T00:00:00Z`).toISOString(), to: new Date(`${to}T23:59:59Z`).toISOString() })}`,
      ),
  });

const RULES = ["tone-rules"];
/** Every rule of a language (shipped and added; at most 500 per page, followed to the end). */
export const useToneRules = (lang: string) =>
  useQuery({
    queryKey: [...RULES, lang],
    queryFn: async () => {
      const items: ToneRule[] = [];
      let cursor: string | undefined;
      do {
        const page = await get<ToneRuleList>(`/tone/rules${qs({ lang, limit: 500, cursor })}`);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    },
  });

function useRulesMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: RULES });
      void qc.invalidateQueries({ queryKey: ["tone-check"] });
    },
  });
}
export const useCreateToneRule = () =>
  useRulesMutation((b: CreateToneRuleBody) => post<ToneRule>("/tone/rules", b));
export const useUpdateToneRule = () =>
  useRulesMutation((d: { id: string; body: UpdateToneRuleBody }) =>
    patch<ToneRule>(`/tone/rules/${d.id}`, d.body),
  );
export const useDeleteToneRule = () => useRulesMutation((id: string) => del(`/tone/rules/${id}`));
