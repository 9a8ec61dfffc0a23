import { sql } from "drizzle-orm";
import type { DomainEvent } from "../../realtime/bus.ts";
import type { Connection, RealtimeHub } from "../../realtime/hub.ts";
import {
  filedPayloads,
  loadNotices,
  NOTICES_CHANNEL,
  noticeToApi,
  type NoticePayload as Payload,
  unreadCountOf,
} from "./notifications.service.ts";

/**
 * Pushes the notification centre over the agent websocket: a `notification` frame (the notice
 * in the socket user's language, and the unread count) when one is filed, and a
 * `notifications.unread` frame when the user read notices (in another tab, say). Events come
 * from the bus after commit; they travel through NOTIFY so a socket on any process gets them.
 */
export class NoticePush {
  constructor(private readonly hub: RealtimeHub) {}

  async start(): Promise<() => Promise<void>> {
    const { database, bus } = this.hub.services;
    const unlisten = await database.listen(NOTICES_CHANNEL, (p) => this.receive(p));
    const unsubscribe = bus.subscribe((e) => this.publish(e));
    return async () => {
      unsubscribe();
      await unlisten();
    };
  }

  private publish(e: DomainEvent) {
    // Notices filed by a unit of work without duplicates are announced by its last statement
    // (notify); these are the others.
    const payloads: Payload[] = [];
    if (e.type === "notification.created") payloads.push(...filedPayloads(e.notices));
    else if (e.type === "notification.read") payloads.push({ r: e.userId });
    for (const p of payloads)
      this.hub.services.db
        .execute(sql`select pg_notify(${NOTICES_CHANNEL}, ${JSON.stringify(p)})`)
        .catch((err) => this.hub.log("realtime: notices NOTIFY failed", err));
  }

  private receive(payload: string) {
    let msg: Payload;
    try {
      msg = JSON.parse(payload);
    } catch {
      return this.hub.log(`realtime: ignored a malformed notices payload (${payload.length} bytes)`);
    }
    void this.deliver(msg).catch((err) => this.hub.log("realtime: pushing notices failed", err));
  }

  private socketsOf(userId: string): Connection[] {
    const out: Connection[] = [];
    for (const c of this.hub.connections) if (c.actor.userId === userId) out.push(c);
    return out;
  }

  private async deliver(msg: Payload) {
    const { db } = this.hub.services;
    if (typeof msg.r === "string") {
      const sockets = this.socketsOf(msg.r);
      if (sockets.length === 0) return;
      const unread = await unreadCountOf(db, msg.r);
      for (const c of sockets) c.enqueue(() => c.send({ type: "notifications.unread", unread }));
      return;
    }
    if (!Array.isArray(msg.n)) return;
    // Only the notices of users connected to this process are loaded.
    const wanted = msg.n.filter(
      (x): x is [string, string] =>
        Array.isArray(x) &&
        typeof x[0] === "string" &&
        typeof x[1] === "string" &&
        this.socketsOf(x[1]).length > 0,
    );
    if (wanted.length === 0) return;
    const rows = await loadNotices(
      db,
      wanted.map(([id]) => id),
    );
    rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    const byUser = new Map<string, typeof rows>();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    for (const [userId, mine] of byUser) {
      const unread = await unreadCountOf(db, userId);
      for (const c of this.socketsOf(userId))
        c.enqueue(() => {
          for (const r of mine)
            c.send({ type: "notification", notification: noticeToApi(r, c.actor.locale), unread });
        });
    }
  }
}
