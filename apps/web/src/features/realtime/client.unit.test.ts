import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RealtimeClient, type ServerFrame } from "./client.ts";

/** A stand-in for the browser WebSocket: records sent frames, lets the test push server frames. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  push(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const ticket = (id: string) => ({ id }) as unknown as Extract<ServerFrame, { type: "ticket" }>["ticket"];

describe("RealtimeClient", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("applies every frame of one event, drops replays, and resumes from the last seq after a drop", () => {
    const c = new RealtimeClient("ws://x/api/v1/ws");
    const seen: string[] = [];
    c.subscribe((f) => {
      seen.push(`${f.type}:${"seq" in f ? f.seq : ""}`);
    });
    c.start();
    const s1 = FakeSocket.all[0];
    if (!s1) throw new Error("no socket");
    s1.open();
    s1.push({ type: "hello", seq: 10, counts: { all_open: 3 } });
    expect(s1.sent).toContainEqual({ type: "resume", since: 10 });
    s1.push({ type: "ticket", seq: 11, event: "created", ticket: ticket("a") });
    s1.push({ type: "counts", seq: 11, deltas: { all_open: 1 } });
    s1.push({ type: "counts", seq: 11, deltas: { all_open: 1 } }); // duplicate
    s1.push({ type: "ticket", seq: 9, event: "updated", ticket: ticket("old") }); // before hello
    expect(seen).toEqual(["hello:10", "ticket:11", "counts:11"]);

    s1.close();
    vi.advanceTimersByTime(20_000);
    const s2 = FakeSocket.all[1];
    if (!s2) throw new Error("no reconnect");
    s2.open();
    expect(s2.sent).toContainEqual({ type: "resume", since: 11 });
    s2.push({ type: "hello", seq: 14, counts: { all_open: 5 } });
    // Replayed events up to hello: ticket frames apply, their counts are already in hello.
    s2.push({ type: "ticket", seq: 12, event: "updated", ticket: ticket("b") });
    s2.push({ type: "counts", seq: 12, deltas: { all_open: 1 } });
    s2.push({ type: "counts", seq: 15, deltas: { all_open: -1 } });
    expect(seen.slice(3)).toEqual(["hello:14", "ticket:12", "counts:15"]);
    c.stop();
  });

  it("re-watches tickets after a reconnect and tracks presence per ticket", () => {
    const c = new RealtimeClient("ws://x/api/v1/ws");
    c.start();
    const s1 = FakeSocket.all[0];
    if (!s1) throw new Error("no socket");
    s1.open();
    c.watch("t1");
    s1.push({ type: "presence", ticketId: "t1", agents: [{ userId: "u2", name: "Bo", typing: true }] });
    expect(c.presenceOf("t1")).toEqual([{ userId: "u2", name: "Bo", typing: true }]);
    s1.close();
    expect(c.presenceOf("t1")).toBeUndefined();
    vi.advanceTimersByTime(20_000);
    const s2 = FakeSocket.all[1];
    if (!s2) throw new Error("no reconnect");
    s2.open();
    expect(s2.sent).toContainEqual({ type: "watch", ticketId: "t1" });
    c.unwatch("t1");
    expect(s2.sent).toContainEqual({ type: "unwatch", ticketId: "t1" });
    c.stop();
  });
});
