import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { get, post, qs } from "../../lib/api.ts";

export type ToneCategory = "refusal" | "blame" | "not-my-job" | "uncertainty" | "rudeness";
export type ToneFinding = {
  start: number;
  end: number;
  text: string;
  category: ToneCategory;
  suggestions: string[];
  ruleId: string;
};
export type ToneReport = {
  from: string;
  to: string;
  phrases: Array<{
    ruleId: string;
    lang: string;
    category: ToneCategory;
    phrase: string;
    teamId: string | null;
    teamName: string | null;
    flagged: number;
    accepted: number;
  }>;
  teams: Array<{ teamId: string | null; teamName: string | null; flagged: number; accepted: number }>;
  categories: Array<{ category: ToneCategory; flagged: number; accepted: number }>;
};

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
    queryFn: () => post<{ findings: ToneFinding[] }>("/tone/check", { text: debounced, lang }),
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
