/**
 * Erlang C: how many agents a queue needs for a service-level goal.
 *
 * Traffic A (Erlangs) = arrivals × handle time ÷ interval. With N agents the probability that
 * a contact waits is Erlang C, computed from Erlang B by the recurrence
 * B(0) = 1, B(k) = A·B(k−1) ÷ (k + A·B(k−1)), then C = N·B ÷ (N − A·(1 − B)).
 * The recurrence never forms Aᴺ or N!, so it stays exact for thousands of agents where the
 * textbook formula overflows. A queue with A ≥ N never empties: it has no finite answer.
 */

export type ErlangInput = {
  arrivals: number;
  intervalSeconds: number;
  ahtSeconds: number;
  targetAnswerSeconds: number;
  /** The share answered within the target, 0 < goal < 1 (0.8 for 80 %). */
  serviceLevelGoal: number;
  agents?: number;
};

export type ErlangResult = {
  trafficErlangs: number;
  agentsNeeded: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
  serviceLevel: number;
  occupancy: number;
};

export type QueueFigures = Omit<ErlangResult, "trafficErlangs" | "agentsNeeded">;

/** The largest traffic the calculator takes (a queue of 100,000 busy agents). */
export const MAX_TRAFFIC = 100_000;

export class UnstableQueueError extends Error {
  constructor(
    readonly trafficErlangs: number,
    readonly agents: number,
  ) {
    super(
      `With ${agents} agents the traffic of ${trafficErlangs.toFixed(2)} Erlangs never clears: the queue grows without end (agents must exceed the traffic)`,
    );
  }
}

export const trafficErlangs = (arrivals: number, intervalSeconds: number, ahtSeconds: number) =>
  (arrivals * ahtSeconds) / intervalSeconds;

/** Erlang B for N servers by the stable recurrence. */
export function erlangB(traffic: number, agents: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b);
  return b;
}

/** Erlang C from Erlang B (probability that a contact waits); requires N > A. */
export const erlangCFromB = (traffic: number, agents: number, b: number) =>
  (agents * b) / (agents - traffic * (1 - b));

export function erlangC(traffic: number, agents: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) throw new UnstableQueueError(traffic, agents);
  return erlangCFromB(traffic, agents, erlangB(traffic, agents));
}

function figures(traffic: number, agents: number, pw: number, aht: number, target: number): QueueFigures {
  if (traffic <= 0)
    return { probabilityOfWaiting: 0, averageSpeedOfAnswerSeconds: 0, serviceLevel: 1, occupancy: 0 };
  return {
    probabilityOfWaiting: pw,
    averageSpeedOfAnswerSeconds: (pw * aht) / (agents - traffic),
    serviceLevel: Math.max(0, 1 - pw * Math.exp((-(agents - traffic) * target) / aht)),
    occupancy: traffic / agents,
  };
}

/** Figures of a queue with a given number of agents. */
export function queueFigures(traffic: number, agents: number, aht: number, target: number): QueueFigures {
  return figures(traffic, agents, erlangC(traffic, agents), aht, target);
}

/**
 * The fewest agents whose service level reaches the goal. Erlang B is carried forward one
 * agent at a time, so the search costs O(N) in all.
 */
export function agentsNeeded(traffic: number, aht: number, target: number, goal: number): number {
  if (traffic <= 0) return 0;
  let b = 1;
  let n = 0;
  for (;;) {
    n++;
    b = (traffic * b) / (n + traffic * b);
    if (n <= traffic) continue;
    const pw = erlangCFromB(traffic, n, b);
    if (figures(traffic, n, pw, aht, target).serviceLevel >= goal) return n;
  }
}

export function erlangCalculator(input: ErlangInput): ErlangResult {
  const traffic = trafficErlangs(input.arrivals, input.intervalSeconds, input.ahtSeconds);
  if (traffic > MAX_TRAFFIC) throw new RangeError(`traffic above ${MAX_TRAFFIC} Erlangs`);
  const needed = agentsNeeded(traffic, input.ahtSeconds, input.targetAnswerSeconds, input.serviceLevelGoal);
  const n = input.agents ?? needed;
  return {
    trafficErlangs: traffic,
    agentsNeeded: needed,
    ...queueFigures(traffic, n, input.ahtSeconds, input.targetAnswerSeconds),
  };
}
