import { describe, expect, it } from "vitest";
import { DEFAULT_AUTH } from "./templates.ts";

describe("password-reset email", () => {
  it.each(Object.entries(DEFAULT_AUTH))("in %s says the reset revokes API tokens", (_locale, t) => {
    expect(t.reset.body).toContain("{url}");
    expect(t.reset.body).toContain("{name}");
    expect(t.reset.body).toMatch(/API/);
  });
});
