import { describe, expect, it } from "vitest";
import { conditionHolds } from "./clocks.ts";
import { ZCondition } from "./sla.schema.ts";

type Facts = Parameters<typeof conditionHolds>[1];
const facts = (ticket: Record<string, unknown>, contact: Record<string, unknown> | null = null): Facts =>
  ({
    ticket: {
      priority: "normal",
      channel: "email",
      teamId: null,
      tags: [],
      language: "vi",
      customFields: {},
      ...ticket,
    },
    contact,
  }) as unknown as Facts;

describe("SLA policy conditions", () => {
  it("read ticket custom fields, contact custom fields and contact columns", () => {
    const f = facts(
      { customFields: { contract_level: "Gold", regions: ["north", "south"] } },
      {
        tags: ["vip"],
        customFields: { tier: "platinum" },
      },
    );
    expect(conditionHolds({ field: "ticket.contract_level", op: "is", value: "gold" }, f)).toBe(true);
    expect(conditionHolds({ field: "ticket.regions", op: "in", value: ["south"] }, f)).toBe(true);
    expect(conditionHolds({ field: "ticket.regions", op: "is_not", value: "east" }, f)).toBe(true);
    expect(conditionHolds({ field: "ticket.missing", op: "is", value: "x" }, f)).toBe(false);
    expect(conditionHolds({ field: "contact.tier", op: "is", value: "Platinum" }, f)).toBe(true);
    expect(conditionHolds({ field: "contact.tags", op: "contains", value: "vi" }, f)).toBe(true);
    expect(conditionHolds({ field: "language", op: "is", value: "vi" }, f)).toBe(true);
  });

  it("accept only known fields in a policy", () => {
    expect(ZCondition.safeParse({ field: "ticket.contract_level", op: "is", value: "gold" }).success).toBe(
      true,
    );
    expect(ZCondition.safeParse({ field: "ticket.a-b", op: "is", value: "x" }).success).toBe(false);
    expect(ZCondition.safeParse({ field: "password", op: "is", value: "x" }).success).toBe(false);
  });
});
