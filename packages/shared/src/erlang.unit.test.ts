import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentsNeeded,
  erlangB,
  erlangC,
  erlangCalculator,
  queueFigures,
  UnstableQueueError,
} from "./erlang.ts";

const hour = { intervalSeconds: 3600, targetAnswerSeconds: 20, serviceLevelGoal: 0.8 };

describe("Erlang C", () => {
  it("issue 16's example: 30 arrivals per hour, 300 s handle time", () => {
    const five = erlangCalculator({ ...hour, arrivals: 30, ahtSeconds: 300, agents: 5 });
    expect(five.trafficErlangs).toBe(2.5);
    expect(five.probabilityOfWaiting * 100).toBeCloseTo(13.04, 2);
    expect(five.occupancy).toBe(0.5);
    const six = erlangCalculator({ ...hour, arrivals: 30, ahtSeconds: 300, agents: 6 });
    expect(six.probabilityOfWaiting * 100).toBeCloseTo(4.74, 2);
    expect(six.serviceLevel).toBeGreaterThan(five.serviceLevel);
  });

  it("Call Centre Helper's worked example: 100 calls in 30 minutes, 180 s, 80/20", () => {
    // Published: 10 Erlangs; 13 agents reach 79.6 % (short of 80 %), so 14 agents are needed,
    // with 17.4 % of calls waiting, 88.8 % answered in 20 s, ASA 7.8 s, occupancy 71.4 %.
    const input = {
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      targetAnswerSeconds: 20,
      serviceLevelGoal: 0.8,
    };
    const r = erlangCalculator(input);
    expect(r.trafficErlangs).toBe(10);
    expect(r.agentsNeeded).toBe(14);
    expect(r.probabilityOfWaiting * 100).toBeCloseTo(17.41, 2);
    expect(r.serviceLevel * 100).toBeCloseTo(88.8, 1);
    expect(r.averageSpeedOfAnswerSeconds).toBeCloseTo(7.8, 1);
    expect(r.occupancy * 100).toBeCloseTo(71.4, 1);
    const thirteen = erlangCalculator({ ...input, agents: 13 });
    expect(thirteen.serviceLevel * 100).toBeCloseTo(79.6, 1);
    expect(thirteen.agentsNeeded).toBe(14);
  });

  it("matches the closed forms for one and two agents and the M/M/3 textbook value", () => {
    expect(erlangC(0.5, 1)).toBeCloseTo(0.5, 12); // M/M/1: P(wait) = ρ
    const rho = 0.5;
    expect(erlangC(1, 2)).toBeCloseTo((2 * rho * rho) / (1 + rho), 12); // M/M/2: 2ρ²/(1+ρ)
    expect(erlangC(2, 3)).toBeCloseTo(4 / 9, 12);
    expect(erlangB(2, 3)).toBeCloseTo(4 / 19, 12);
  });

  it("stays finite for thousands of agents (no factorials)", () => {
    const r = erlangCalculator({ ...hour, arrivals: 360_000, ahtSeconds: 100 });
    expect(r.trafficErlangs).toBe(10_000);
    expect(r.agentsNeeded).toBeGreaterThan(10_000);
    expect(r.agentsNeeded).toBeLessThan(10_100);
    expect(Number.isFinite(r.probabilityOfWaiting)).toBe(true);
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8);
  });

  it("refuses a queue that never clears (A ≥ N)", () => {
    expect(() => erlangC(2.5, 2)).toThrow(UnstableQueueError);
    expect(() => erlangC(3, 3)).toThrow(UnstableQueueError);
  });

  it("no traffic needs no agent", () => {
    const r = erlangCalculator({ ...hour, arrivals: 0, ahtSeconds: 300 });
    expect(r).toMatchObject({ agentsNeeded: 0, probabilityOfWaiting: 0, serviceLevel: 1, occupancy: 0 });
  });

  it("agentsNeeded is the fewest agents reaching the goal; more agents never serve worse", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 400, noNaN: true }),
        fc.integer({ min: 10, max: 900 }),
        fc.integer({ min: 0, max: 120 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (traffic, aht, target, goal) => {
          const n = agentsNeeded(traffic, aht, target, goal);
          expect(n).toBeGreaterThan(traffic);
          expect(queueFigures(traffic, n, aht, target).serviceLevel).toBeGreaterThanOrEqual(goal);
          if (n - 1 > traffic)
            expect(queueFigures(traffic, n - 1, aht, target).serviceLevel).toBeLessThan(goal);
          const more = queueFigures(traffic, n + 1, aht, target);
          const at = queueFigures(traffic, n, aht, target);
          expect(more.probabilityOfWaiting).toBeLessThanOrEqual(at.probabilityOfWaiting + 1e-12);
          expect(more.averageSpeedOfAnswerSeconds).toBeLessThanOrEqual(at.averageSpeedOfAnswerSeconds + 1e-9);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });
});
