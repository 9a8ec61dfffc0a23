import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../../auth/actor.ts";
import { canSeeTicket } from "../../auth/policies.ts";
import { countDeltas, type TicketState, viewKeysOf } from "./view-keys.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

const USERS = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"];
const TEAMS = ["10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002"];
const STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"];

const arbState: fc.Arbitrary<TicketState> = fc.record({
  status: fc.constantFrom(...STATUSES),
  assigneeId: fc.constantFrom(null, ...USERS),
  teamId: fc.constantFrom(null, ...TEAMS),
});
const arbViewer: fc.Arbitrary<AgentActor> = fc
  .record({
    role: fc.constantFrom("agent" as const, "manager" as const, "admin" as const),
    teamIds: fc.subarray(TEAMS),
  })
  .map(({ role, teamIds }) => ({
    kind: "agent",
    userId: USERS[0] as string,
    role,
    name: "Viewer",
    email: "viewer@example.com",
    locale: "en",
    teamIds,
    via: "token",
  }));

/** The views, written out from their definitions (packages/shared/src/realtime.ts), as the oracle. */
function recount(viewer: AgentActor, tickets: TicketState[]) {
  const seen = tickets.filter((t) => canSeeTicket(viewer, t));
  const open = seen.filter((t) => t.status === "new" || t.status === "open");
  const counts: Record<string, number> = {
    mine: open.filter((t) => t.assigneeId === viewer.userId).length,
    unassigned: open.filter((t) => t.assigneeId === null).length,
    all_open: open.length,
    pending: seen.filter((t) => t.status === "pending" || t.status === "on_hold").length,
    solved: seen.filter((t) => t.status === "solved").length,
  };
  const teams = viewer.role === "agent" ? viewer.teamIds : TEAMS;
  for (const id of teams) counts[`team:${id}`] = open.filter((t) => t.teamId === id).length;
  return counts;
}

describe("view counts by deltas", () => {
  it("applying the deltas of any sequence of creations and changes equals a recount", PROPERTY, () => {
    const arbStep = fc.oneof(
      fc.record({ kind: fc.constant("create" as const), state: arbState }),
      fc.record({ kind: fc.constant("change" as const), index: fc.nat(), state: arbState }),
    );
    fc.assert(
      fc.property(arbViewer, fc.array(arbStep, { maxLength: 40 }), (viewer, steps) => {
        const tickets: TicketState[] = [];
        const counts = recount(viewer, tickets);
        for (const step of steps) {
          let deltas: Record<string, number>;
          if (step.kind === "create" || tickets.length === 0) {
            tickets.push(step.state);
            deltas = countDeltas(viewer, null, step.state);
          } else {
            const i = step.index % tickets.length;
            deltas = countDeltas(viewer, tickets[i] ?? null, step.state);
            tickets[i] = step.state;
          }
          for (const [k, d] of Object.entries(deltas)) {
            expect(k in counts, `unknown view ${k}`).toBe(true);
            counts[k] = (counts[k] ?? 0) + d;
          }
          expect(counts).toEqual(recount(viewer, tickets));
        }
      }),
      { numRuns: 300 },
    );
  });

  it(
    "puts a ticket the viewer may not see in no view, and leaves unchanged views out of the deltas",
    PROPERTY,
    () => {
      fc.assert(
        fc.property(arbViewer, arbState, (viewer, state) => {
          if (!canSeeTicket(viewer, state)) expect(viewKeysOf(viewer, state)).toEqual([]);
          expect(countDeltas(viewer, state, state)).toEqual({});
        }),
      );
    },
  );
});
