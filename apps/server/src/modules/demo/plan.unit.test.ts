import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../lib/phone.ts";
import { BANKS } from "./banks/index.ts";
import { DEMO_LANGUAGES, TOPICS } from "./banks/types.ts";
import { DEMO_AGENTS, planDemo } from "./plan.ts";
import { Random } from "./random.ts";

/** Property tests run many cases: a time budget that holds on a busy 2-core machine. */
const PROPERTY = { timeout: 60_000 };

const NOW = new Date("2026-11-22T10:00:00Z");

describe("Random", () => {
  it("repeats for a seed and differs between seeds", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const a = new Random(seed);
        const b = new Random(seed);
        const xs = Array.from({ length: 20 }, () => a.float());
        expect(Array.from({ length: 20 }, () => b.float())).toEqual(xs);
        for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
      }),
    );
    expect(new Random("a").float()).not.toBe(new Random("b").float());
  });

  it("keeps int() within its bounds", PROPERTY, () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const n = new Random(seed).int(min, min + span);
        expect(n).toBeGreaterThanOrEqual(min);
        expect(n).toBeLessThanOrEqual(min + span);
      }),
    );
  });
});

describe("phrase banks", () => {
  it("cover every topic in every language", () => {
    for (const lang of DEMO_LANGUAGES) {
      const bank = BANKS[lang];
      for (const topic of TOPICS) {
        const t = bank.topics[topic];
        expect(t.subjects.length, `${lang} ${topic}`).toBeGreaterThan(0);
        expect(t.openings.length, `${lang} ${topic}`).toBeGreaterThan(0);
        expect(t.replies.length, `${lang} ${topic}`).toBeGreaterThan(0);
        expect(t.notes.length, `${lang} ${topic}`).toBeGreaterThan(0);
      }
    }
  });
});

describe("planDemo", () => {
  it("is the same for the same seed", () => {
    expect(planDemo({ seed: "x", tickets: 40, contacts: 12, now: NOW })).toEqual(
      planDemo({ seed: "x", tickets: 40, contacts: 12, now: NOW }),
    );
    expect(planDemo({ seed: "y", tickets: 40, contacts: 12, now: NOW })).not.toEqual(
      planDemo({ seed: "x", tickets: 40, contacts: 12, now: NOW }),
    );
  });

  it("makes consistent data for any seed and size", PROPERTY, () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 4, max: 60 }),
        fc.integer({ min: 4, max: 30 }),
        (seed, n, c) => {
          const plan = planDemo({ seed, tickets: n, contacts: c, now: NOW });
          expect(plan.tickets).toHaveLength(n);
          expect(plan.contacts).toHaveLength(c);
          expect(new Set(plan.tickets.map((t) => t.language))).toEqual(new Set(DEMO_LANGUAGES));
          const emails = plan.contacts.flatMap((x) => x.emails);
          expect(new Set(emails).size).toBe(emails.length);
          for (const contact of plan.contacts) {
            expect(contact.emails.length).toBeGreaterThan(0);
            for (const e of contact.emails)
              expect(e).toMatch(/^[a-z0-9._]+@[a-z0-9.-]+\.(example|com|net|org)$/);
            for (const p of contact.phones) expect(normalizePhone(p)).toBe(p);
          }
          let previous = 0;
          for (const t of plan.tickets) {
            expect(t.createdAt.getTime()).toBeGreaterThanOrEqual(previous);
            previous = t.createdAt.getTime();
            const contact = plan.contacts[t.contact];
            expect(contact?.language).toBe(t.language);
            expect(contact?.createdAt.getTime()).toBeLessThanOrEqual(t.createdAt.getTime());
            let at = t.createdAt.getTime();
            for (const s of t.steps) {
              expect(s.at.getTime()).toBeGreaterThanOrEqual(at);
              at = s.at.getTime();
              if ("agent" in s && s.agent !== null) expect(DEMO_AGENTS[s.agent]).toBeDefined();
            }
            expect(at).toBeLessThan(NOW.getTime());
            // Every placeholder was filled.
            const texts = [t.subject, t.body, ...t.steps.map((s) => ("body" in s ? s.body : ""))];
            for (const text of texts) expect(text).not.toMatch(/\{\w+\}/);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
