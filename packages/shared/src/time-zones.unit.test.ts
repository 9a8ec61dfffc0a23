import { describe, expect, it } from "vitest";
import { canonicalTimeZone, LEGACY_TIME_ZONES, timeZoneOptions } from "./time-zones.ts";

describe("canonicalTimeZone", () => {
  it("gives today's IANA names for the old ones and keeps the canonical ones", () => {
    expect(canonicalTimeZone("Asia/Saigon")).toBe("Asia/Ho_Chi_Minh");
    expect(canonicalTimeZone("Asia/Calcutta")).toBe("Asia/Kolkata");
    expect(canonicalTimeZone("Asia/Ho_Chi_Minh")).toBe("Asia/Ho_Chi_Minh");
    expect(canonicalTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimeZone("Europe/Kyiv")).toBe("Europe/Kyiv");
    expect(canonicalTimeZone("Asia/Phnom_Penh")).toBe("Asia/Phnom_Penh");
    expect(canonicalTimeZone("asia/saigon")).toBe("Asia/Ho_Chi_Minh");
    expect(canonicalTimeZone("Etc/UTC")).toBe("UTC");
  });

  it("answers null for a zone that does not exist", () => {
    for (const zone of ["Mars/Olympus", "", "Asia/Saigon'; --", "+07:00x"])
      expect(canonicalTimeZone(zone)).toBeNull();
  });

  it("maps every legacy name to a zone Intl knows, and every target to itself", () => {
    for (const [legacy, current] of Object.entries(LEGACY_TIME_ZONES)) {
      expect(canonicalTimeZone(legacy)).toBe(current);
      expect(canonicalTimeZone(current)).toBe(current);
    }
  });
});

describe("timeZoneOptions", () => {
  it("lists canonical names once each, UTC first, without the old names", () => {
    const zones = timeZoneOptions();
    expect(zones[0]).toBe("UTC");
    expect(zones).toContain("Asia/Ho_Chi_Minh");
    expect(zones).toContain("Asia/Kolkata");
    expect(zones).toContain("Asia/Phnom_Penh");
    for (const legacy of Object.keys(LEGACY_TIME_ZONES)) expect(zones).not.toContain(legacy);
    expect(new Set(zones).size).toBe(zones.length);
    expect(zones.slice(1)).toEqual([...zones.slice(1)].sort());
    for (const zone of zones) expect(canonicalTimeZone(zone)).toBe(zone);
  });

  it("renames what a browser lists and adds the browser's own zone when missing", () => {
    expect(timeZoneOptions(["Asia/Saigon", "Asia/Calcutta", "UTC"], "Etc/GMT-7")).toEqual([
      "UTC",
      "Asia/Ho_Chi_Minh",
      "Asia/Kolkata",
      "Etc/GMT-7",
    ]);
    expect(timeZoneOptions(["Asia/Ho_Chi_Minh"], "Asia/Saigon")).toEqual(["UTC", "Asia/Ho_Chi_Minh"]);
  });
});
