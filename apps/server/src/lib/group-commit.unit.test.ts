import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.ts";

describe("groupCommit", () => {
  it("writes a lone call at once and the calls made meanwhile together, in order", async () => {
    const writes: number[][] = [];
    let release: () => void = () => {};
    const store = groupCommit(async (items: number[]) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => i * 10);
    }, 3);
    const first = store(1);
    const rest = [2, 3, 4, 5, 6].map((i) => store(i));
    expect(writes).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50, 60]);
    expect(writes).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("fails every call of a failed write, and the next write still runs", async () => {
    let n = 0;
    const store = groupCommit(async (items: string[]) => {
      n++;
      if (items.includes("bad")) throw new Error("disk full");
      return items;
    });
    const results = await Promise.allSettled([store("a"), store("bad"), store("c")]);
    expect(results[0]).toEqual({ status: "fulfilled", value: "a" });
    expect(results[1]).toMatchObject({ status: "rejected" });
    expect(results[2]).toMatchObject({ status: "rejected" });
    expect(await store("d")).toBe("d");
    expect(n).toBe(3);
  });
});
