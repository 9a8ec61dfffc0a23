/**
 * A realistic organization for the ticket write-path benchmarks (issue 13), set up through
 * the API on a fresh database: first-run setup (admin), an SLA policy with conditions and
 * first-response/resolution targets, a round-robin team with 3 online agents, two active
 * "ticket created" triggers and an active webhook to a local receiver that answers 200.
 * Shared by bench/ticket-write.ts and bench/ticket-statements.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { BenchApp } from "./app.ts";

// The webhook points at 127.0.0.1; the SSRF guard (apps/server/src/lib/ssrf.ts) refuses loopback
// unless this is set. Read when a URL is checked, so setting it here (before any request) is enough.
process.env.RAPPORT_OUTBOUND_ALLOW_PRIVATE = "1";

/** The word that makes the first trigger tag a ticket, and the tag the second one raises priority on. */
export const TRIGGER_WORD = "refund";
export const TRIGGER_TAG = "billing";

/** A tiny HTTP receiver on 127.0.0.1 that answers 200 to everything (the webhook's target). */
export async function startReceiver(): Promise<{
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      hits++;
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** PUT/PATCH/POST with a status check (measure.ts's client has only GET and POST). */
async function send(base: string, token: string | null, method: string, path: string, body: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export type Org = {
  adminId: string;
  adminToken: string;
  teamId: string;
  agentIds: string[];
  /** An API token of the first agent (the one who replies in the statement counts). */
  agentToken: string;
  policyId: string;
  webhookId: string;
  triggerIds: string[];
};

/** Builds the organization through the API of a freshly migrated, empty database. */
export async function setupOrg(bench: BenchApp, receiverUrl: string): Promise<Org> {
  const { base } = bench;
  const setup = await send(base, null, "POST", "/setup", {
    organization: { name: "Bench Support", timeZone: "Asia/Ho_Chi_Minh", defaultLanguage: "en" },
    admin: { name: "Bench Admin", email: "admin@bench.test", password: "correct-horse-battery" },
  });
  const adminId = setup.admin.id as string;
  const adminToken = (await bench.tokenFor(adminId)).token;
  const admin = (method: string, path: string, body: unknown) => send(base, adminToken, method, path, body);

  const team = await admin("POST", "/teams", { name: "Support" });
  const agentIds: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const user = await admin("POST", "/users", {
      name: `Agent ${i}`,
      email: `agent${i}@bench.test`,
      role: "agent",
      password: "correct-horse-battery",
      teamIds: [team.id],
      languages: ["en"],
    });
    await admin("PATCH", `/users/${user.id}`, { availability: "online" });
    agentIds.push(user.id);
  }
  await admin("PUT", `/routing/teams/${team.id}`, { mode: "round_robin" });

  const policy = await admin("POST", "/sla/policies", {
    name: "Support team, normal and high",
    conditions: [
      { field: "team", op: "is", value: team.id },
      { field: "priority", op: "in", value: ["low", "normal", "high", "urgent"] },
    ],
    targets: {
      firstResponse: { minutes: 240, goalMinutes: 120, business: true },
      resolution: { minutes: 2880, business: true },
    },
  });

  const triggerIds: string[] = [];
  for (const [position, body] of [
    {
      name: `Tag ${TRIGGER_TAG} when the message mentions a ${TRIGGER_WORD}`,
      events: ["ticket.created"],
      conditions: [{ field: "message.body", op: "contains", value: TRIGGER_WORD }],
      actions: [{ type: "add_tags", tags: [TRIGGER_TAG] }],
    },
    {
      name: `High priority for ${TRIGGER_TAG}`,
      events: ["ticket.created"],
      conditions: [{ field: "ticket.tags", op: "includes", value: TRIGGER_TAG }],
      actions: [{ type: "set_priority", value: "high" }],
    },
  ].entries()) {
    triggerIds.push((await admin("POST", "/triggers", { ...body, position, active: true })).id);
  }

  const webhook = await admin("POST", "/webhooks", {
    name: "Local receiver",
    url: receiverUrl,
    events: ["ticket.created", "ticket.updated", "message.created"],
    active: true,
  });

  const agentToken = (await bench.tokenFor(agentIds[0] as string)).token;
  return {
    adminId,
    adminToken,
    teamId: team.id,
    agentIds,
    agentToken,
    policyId: policy.id,
    webhookId: webhook.id,
    triggerIds,
  };
}

/** The body of POST /tickets for request i: a refund mention (so both triggers fire) on every third. */
export function ticketBody(org: Org, email: string, i: number) {
  const refund = i % 3 === 0;
  return {
    subject: `Order ${100000 + Math.abs(i)} has not arrived yet`,
    requester: { email, name: `Customer ${Math.abs(i)}` },
    message: {
      body: refund
        ? `Hello, order ${100000 + Math.abs(i)} never came. I would like a ${TRIGGER_WORD}, please.`
        : `Hello, my order ${100000 + Math.abs(i)} is late. The tracking page has not changed for a week.`,
    },
    channel: "email",
    teamId: org.teamId,
  };
}
