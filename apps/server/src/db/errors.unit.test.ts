import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors.ts";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognizes a server going away, wrapped or not", () => {
    expect(
      isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command")),
    ).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P03", "the database system is starting up"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe(true);
    // Drizzle's DrizzleQueryError keeps the driver's error as `cause`; Node's dual-stack connect an AggregateError.
    expect(isDatabaseUnavailable(new Error("Failed query: commit", { cause: pgError("57P01") }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([pgError("ECONNREFUSED")], "connect failed"))).toBe(true);
  });

  it("leaves statement errors alone", () => {
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key value"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("40001", "could not serialize access"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Failed query: select", { cause: pgError("42P01") }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated")).toBe(false);
  });
});
