import type { TRecognitionFigures } from "@rapport/shared";
import { describe, expect, it } from "vitest";
import { addMonths, monthIn, rank } from "./recognition.service.ts";
import { DEFAULT_WEIGHTS } from "./recognition.table.ts";

const base: TRecognitionFigures = {
  solved: 10,
  reopened: 0,
  reopenRate: 0,
  csatRated: 0,
  csatGood: 0,
  csatRate: null,
  firstResponses: 0,
  firstResponsesOnTime: 0,
  firstResponseRate: null,
  resolutionP50: null,
  resolutionScore: null,
  promisesDue: 0,
  promisesKept: 0,
  promiseRate: null,
};
const row = (name: string, f: Partial<TRecognitionFigures>) => ({
  agent: { id: name, name },
  figures: { ...base, ...f },
});

describe("rank", () => {
  it("weighs the figures an agent has, and takes reopened tickets off", () => {
    const out = rank(
      [
        row("A", { csatRate: 1, firstResponseRate: 0.5, promiseRate: 1, resolutionP50: 100 }),
        row("B", {
          csatRate: 1,
          firstResponseRate: 0.5,
          promiseRate: 1,
          resolutionP50: 200,
          reopenRate: 0.2,
        }),
        row("C", { csatRate: null, firstResponseRate: 1 }),
      ],
      DEFAULT_WEIGHTS,
      5,
    );
    // A: (40 + 12.5 + 15 + 20) / 100 = 87.5. B: (40 + 12.5 + 7.5 + 20) − 30 × 0.2 = 74.
    // C: only first responses (100 %), the missing figures left out of the average → 100.
    expect(out.map((r) => [r.agent.name, r.score, r.rank])).toEqual([
      ["C", 100, 1],
      ["A", 87.5, 2],
      ["B", 74, 3],
    ]);
    expect(out[2]?.figures.resolutionScore).toBe(0.5);
  });

  it("shares places between equal scores (1, 1, 3) and never ranks agents below the minimum", () => {
    const out = rank(
      [
        row("Y", { csatRate: 0.9 }),
        row("X", { csatRate: 0.9 }),
        row("Z", { csatRate: 0.5 }),
        row("Few", { csatRate: 1, solved: 2 }),
        row("None", { solved: 0 }),
      ],
      DEFAULT_WEIGHTS,
      3,
    );
    expect(out.map((r) => [r.agent.name, r.rank])).toEqual([
      ["X", 1],
      ["Y", 1],
      ["Z", 3],
      ["Few", null],
      ["None", null],
    ]);
  });

  it("never goes below zero, and zero weights leave a figure out", () => {
    const [a] = rank([row("A", { csatRate: 0.1, reopenRate: 1 })], { ...DEFAULT_WEIGHTS, reopened: 100 }, 1);
    expect(a?.score).toBe(0);
    const [b] = rank(
      [row("B", { csatRate: 0.2, firstResponseRate: 1 })],
      { ...DEFAULT_WEIGHTS, firstResponse: 0 },
      1,
    );
    expect(b?.score).toBe(20);
  });
});

describe("months", () => {
  it("takes the month in the organization's zone and steps across years", () => {
    expect(monthIn(new Date("2026-11-30T17:30:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-12");
    expect(monthIn(new Date("2026-11-30T17:30:00Z"), "UTC")).toBe("2026-11");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
  });
});
