/**
 * Event-loop probe for a benchmarked server process (bench/chat.ts --probe loads it with
 * `node --import`). Appends one JSON line per stall (the loop late by more than
 * RAPPORT_PROBE_STALL_MS, default 40) and per garbage collection longer than 10 ms to
 * RAPPORT_PROBE_FILE, with wall-clock times, so the bench can line slow messages up with them.
 * Also writes the event-loop delay histogram every 5 s, and traces the bench's timed messages
 * (text tagged `[b:<id>]`) through the server: the visitor frame read from its socket (`in`),
 * the visitor's ack sent after the transaction (`ack`), the agent frame sent (`out`).
 */
import fs from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import WebSocket from "ws";

const file = process.env.RAPPORT_PROBE_FILE;
if (file) {
  const stallMs = Number(process.env.RAPPORT_PROBE_STALL_MS ?? 40);
  const write = (o: Record<string, unknown>) => fs.appendFileSync(file, `${JSON.stringify(o)}\n`);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  // A 10 ms tick: how late it fires is how long the loop was blocked.
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    if (late > stallMs) write({ k: "stall", at: Date.now(), ms: Math.round(late) });
    last = now;
  }, 10).unref();
  setInterval(() => {
    write({
      k: "eld",
      at: Date.now(),
      p50: h.percentile(50) / 1e6,
      p99: h.percentile(99) / 1e6,
      max: h.max / 1e6,
      heap: Math.round(process.memoryUsage().heapUsed / 1048576),
    });
    h.reset();
  }, 5000).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration > 10)
        write({
          k: "gc",
          at: Math.round(performance.timeOrigin + e.startTime),
          ms: Math.round(e.duration),
          kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind,
        });
  }).observe({ entryTypes: ["gc"] });

  const now = () => performance.timeOrigin + performance.now();
  let traces: string[] = [];
  const tag = /\[b:([\d.]+:\d+)\]/;
  const proto = WebSocket.prototype as unknown as {
    emit: (event: string, ...args: unknown[]) => boolean;
    send: (data: unknown, ...rest: unknown[]) => void;
  };
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === "message") {
      const m = tag.exec(String(args[0]));
      if (m) traces.push(JSON.stringify({ k: "in", id: m[1], at: now() }));
    }
    return emit.call(this, event, ...args);
  };
  const send = proto.send;
  proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    if (typeof data === "string") {
      const m = tag.exec(data);
      if (m)
        traces.push(
          JSON.stringify({ k: data.startsWith('{"type":"ack"') ? "ack" : "out", id: m[1], at: now() }),
        );
    }
    return send.call(this, data, ...rest);
  };
  setInterval(() => {
    if (traces.length === 0) return;
    fs.appendFileSync(file, `${traces.join("\n")}\n`);
    traces = [];
  }, 500).unref();
}
