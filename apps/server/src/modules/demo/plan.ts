import type { Channel, Role, TicketPriority, TicketStatus } from "@rapport/shared";
import { BANKS } from "./banks/index.ts";
import { type Bank, DEMO_LANGUAGES, type DemoLanguage, type Topic } from "./banks/types.ts";
import { Random } from "./random.ts";

/**
 * The demo data as a pure plan: who exists, and what happens on every ticket and
 * when. Made only from the seed and the clock, so the same seed gives the same
 * data; seed.ts then writes it through the services.
 */

export const DEMO_DOMAIN = "demo.rapport.example";
export const DEMO_ADMIN = { name: "Demo Admin", email: `admin@${DEMO_DOMAIN}` } as const;

export type TeamKey = "orders" | "billing" | "tech" | "care";
export const DEMO_TEAMS: Record<TeamKey, { name: string; description: string }> = {
  orders: {
    name: "Orders & Delivery",
    description: "Order status, shipping, couriers, damaged or wrong items.",
  },
  billing: { name: "Billing", description: "Refunds, invoices, payments and credits." },
  tech: { name: "Technical Support", description: "Accounts, sign-in and product questions." },
  care: { name: "Customer Care", description: "Complaints, praise and everything else." },
};

export type DemoAgent = {
  name: string;
  /** How colleagues and customers address them. */
  short: string;
  email: string;
  role: Role;
  languages: DemoLanguage[];
  locale: DemoLanguage;
  timeZone: string;
  teams: TeamKey[];
};

const agent = (
  name: string,
  short: string,
  local: string,
  languages: DemoLanguage[],
  timeZone: string,
  teams: TeamKey[],
  role: Role = "agent",
): DemoAgent => ({
  name,
  short,
  email: `${local}@${DEMO_DOMAIN}`,
  role,
  languages,
  locale: languages[0] ?? "en",
  timeZone,
  teams,
});

/** Every team has an agent for each of the four languages. */
export const DEMO_AGENTS: DemoAgent[] = [
  agent("Emma Clarke", "Emma", "emma.clarke", ["en"], "Europe/London", ["billing", "care"]),
  agent("James Whitaker", "James", "james.whitaker", ["en"], "Australia/Sydney", ["orders", "tech"]),
  agent("Nguyễn Thị Lan", "Lan", "lan.nguyen", ["vi", "en"], "Asia/Ho_Chi_Minh", ["orders", "care"]),
  agent("Trần Minh Đức", "Đức", "duc.tran", ["vi", "en"], "Asia/Ho_Chi_Minh", ["tech", "billing"]),
  agent("សុខ ចាន់ធី", "ចាន់ធី", "chanthy.sok", ["km", "en"], "Asia/Phnom_Penh", ["orders", "billing"]),
  agent("ហេង វិចិត្រ", "វិចិត្រ", "vichet.heng", ["km", "en"], "Asia/Phnom_Penh", ["tech", "care"]),
  agent("பிரியா சுப்பிரமணியம்", "பிரியா", "priya.subramaniam", ["ta", "en"], "Asia/Kolkata", ["orders", "care"]),
  agent("அருண் குமார்", "அருண்", "arun.kumar", ["ta", "en"], "Asia/Colombo", ["tech", "billing"]),
  agent(
    "Lê Hoàng Anh",
    "Anh",
    "anh.le",
    ["vi", "en"],
    "Asia/Ho_Chi_Minh",
    ["orders", "billing", "tech", "care"],
    "manager",
  ),
];
const MANAGER = DEMO_AGENTS.findIndex((a) => a.role === "manager");

const TOPIC_ROUTES: Record<
  Topic,
  { team: TeamKey; tags: string[]; weight: number; priority: Record<TicketPriority, number> }
> = {
  order_status: {
    team: "orders",
    tags: ["order"],
    weight: 16,
    priority: { low: 2, normal: 7, high: 1, urgent: 0 },
  },
  delivery_delay: {
    team: "orders",
    tags: ["delivery", "shipping-delay"],
    weight: 16,
    priority: { low: 1, normal: 6, high: 3, urgent: 1 },
  },
  damaged_item: {
    team: "orders",
    tags: ["damaged", "return"],
    weight: 10,
    priority: { low: 1, normal: 5, high: 3, urgent: 1 },
  },
  refund: {
    team: "billing",
    tags: ["refund"],
    weight: 13,
    priority: { low: 1, normal: 6, high: 3, urgent: 1 },
  },
  invoice: {
    team: "billing",
    tags: ["invoice"],
    weight: 9,
    priority: { low: 3, normal: 6, high: 1, urgent: 0 },
  },
  account_access: {
    team: "tech",
    tags: ["account", "login"],
    weight: 11,
    priority: { low: 1, normal: 5, high: 3, urgent: 1 },
  },
  product_question: {
    team: "tech",
    tags: ["product-question"],
    weight: 12,
    priority: { low: 5, normal: 5, high: 0, urgent: 0 },
  },
  complaint: {
    team: "care",
    tags: ["complaint"],
    weight: 7,
    priority: { low: 0, normal: 3, high: 5, urgent: 2 },
  },
  thanks: {
    team: "care",
    tags: ["feedback", "praise"],
    weight: 6,
    priority: { low: 8, normal: 2, high: 0, urgent: 0 },
  },
};

const LANGUAGE_WEIGHTS: Record<DemoLanguage, number> = { en: 30, vi: 27, km: 22, ta: 21 };
const STATUS_WEIGHTS: Record<TicketStatus, number> = {
  new: 11,
  open: 19,
  pending: 12,
  on_hold: 5,
  solved: 30,
  closed: 23,
};
const CHANNEL_WEIGHTS: Partial<Record<Channel, number>> = { email: 46, chat: 22, web: 16, phone: 12, api: 4 };
const PERSONAL_DOMAINS = ["example.com", "example.net", "example.org"];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type PlannedOrganization = { name: string; domain: string; language: DemoLanguage };

export type PlannedContact = {
  name: string;
  givenName: string;
  language: DemoLanguage;
  emails: string[];
  phones: string[];
  timeZone: string;
  /** Index into the plan's organizations. */
  organization: number | null;
  notes: string;
  tags: string[];
  createdAt: Date;
};

/** Agents are indexes into DEMO_AGENTS; null is Rapport itself (the system actor). */
export type Step =
  | { kind: "assign"; at: Date; agent: number }
  | { kind: "customer"; at: Date; body: string }
  | { kind: "reply"; at: Date; agent: number; body: string; status?: TicketStatus }
  | { kind: "note"; at: Date; agent: number; body: string }
  | { kind: "status"; at: Date; agent: number | null; status: TicketStatus }
  | { kind: "priority"; at: Date; agent: number; priority: TicketPriority }
  | { kind: "tag"; at: Date; agent: number; tag: string };

/** A step before it has a time (distributes over the union, unlike a plain Omit). */
type Unstamped<T> = T extends unknown ? Omit<T, "at"> : never;

export type PlannedTicket = {
  language: DemoLanguage;
  topic: Topic;
  subject: string;
  body: string;
  contact: number;
  channel: Channel;
  priority: TicketPriority;
  team: TeamKey;
  tags: string[];
  createdAt: Date;
  /** Phone tickets are opened by the agent who took the call. */
  openedBy: number | null;
  steps: Step[];
  finalStatus: TicketStatus;
};

export type DemoPlan = {
  organizations: PlannedOrganization[];
  contacts: PlannedContact[];
  tickets: PlannedTicket[];
};

export type PlanOptions = { seed: string; tickets: number; contacts: number; now: Date };

function fill(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => vars[key] ?? m);
}

const join = (...parts: string[]) => parts.filter((p) => p.trim() !== "").join("\n\n");

function planOrganizations(): PlannedOrganization[] {
  return DEMO_LANGUAGES.flatMap((language) => BANKS[language].organizations.map((o) => ({ ...o, language })));
}

function phoneNumber(rng: Random, bank: Bank): { phone: string; timeZone: string } {
  const plans = Object.fromEntries(bank.phones.map((p, i) => [String(i), p.weight]));
  const plan = bank.phones[Number(rng.weighted(plans))] ?? bank.phones[0];
  if (!plan) throw new Error(`no phone plan for ${bank.language}`);
  return {
    phone: `+${plan.dial}${rng.pick(plan.prefixes)}${rng.digits(plan.rest)}`,
    timeZone: plan.timeZone,
  };
}

function planContacts(
  rng: Random,
  count: number,
  organizations: PlannedOrganization[],
  now: Date,
): PlannedContact[] {
  const used = new Set<string>();
  const unique = (local: string, domain: string) => {
    let email = `${local}@${domain}`;
    while (used.has(email)) email = `${local}${rng.int(2, 99)}@${domain}`;
    used.add(email);
    return email;
  };
  const contacts: PlannedContact[] = [];
  for (let i = 0; i < count; i++) {
    const language = i < DEMO_LANGUAGES.length ? DEMO_LANGUAGES[i] : rng.weighted(LANGUAGE_WEIGHTS);
    if (!language) throw new Error("no language");
    const bank = BANKS[language];
    const [given, givenLatin] = rng.pick(bank.givenNames);
    const [family, familyLatin] = rng.pick(bank.familyNames);
    const name = bank.familyFirst ? `${family} ${given}` : `${given} ${family}`;
    const orgIndexes = organizations.flatMap((o, idx) => (o.language === language ? [idx] : []));
    const organization = orgIndexes.length > 0 && rng.chance(0.3) ? rng.pick(orgIndexes) : null;
    const org = organization === null ? undefined : organizations[organization];
    const emails: string[] = [];
    if (org) emails.push(unique(rng.pick([`${givenLatin}.${familyLatin}`, givenLatin]), org.domain));
    const personal = rng.pick([
      `${givenLatin}.${familyLatin}`,
      `${givenLatin}${familyLatin}${rng.int(70, 99)}`,
      `${familyLatin}.${givenLatin}`,
      `${givenLatin}_${familyLatin}`,
    ]);
    if (!org || rng.chance(0.15)) emails.push(unique(personal, rng.pick(PERSONAL_DOMAINS)));
    const { phone, timeZone } = phoneNumber(rng, bank);
    const tags: string[] = [];
    if (rng.chance(0.08)) tags.push("vip");
    if (org && rng.chance(0.4)) tags.push("wholesale");
    contacts.push({
      name,
      givenName: given,
      language,
      emails,
      phones: rng.chance(0.75) ? [phone] : [],
      timeZone,
      organization,
      notes: rng.chance(0.15) ? rng.pick(bank.contactNotes) : "",
      tags,
      createdAt: new Date(now.getTime() - rng.int(30, 400) * DAY - rng.int(0, DAY)),
    });
  }
  return contacts;
}

/** How long ago a ticket that ends in `status` was last touched. */
function ageOf(rng: Random, status: TicketStatus): number {
  switch (status) {
    case "new":
      return rng.int(2 * MINUTE, 30 * HOUR);
    case "open":
      return rng.int(10 * MINUTE, 3 * DAY);
    case "pending":
      return rng.int(2 * HOUR, 6 * DAY);
    case "on_hold":
      return rng.int(6 * HOUR, 12 * DAY);
    case "solved":
      return Math.floor(rng.float() ** 1.4 * 60 * DAY) + rng.int(HOUR, DAY);
    case "closed":
      return Math.floor(rng.float() ** 1.2 * 110 * DAY) + rng.int(2 * DAY, 5 * DAY);
  }
}

function pickAgent(rng: Random, team: TeamKey, language: DemoLanguage): number {
  const speakers = DEMO_AGENTS.flatMap((a, i) =>
    a.role === "agent" && a.teams.includes(team) && a.languages[0] === language ? [i] : [],
  );
  if (speakers.length > 0) return rng.pick(speakers);
  return rng.pick(DEMO_AGENTS.flatMap((a, i) => (a.teams.includes(team) ? [i] : [])));
}

function planTicket(
  rng: Random,
  contacts: PlannedContact[],
  byLanguage: Map<DemoLanguage, number[]>,
  now: Date,
  index: number,
) {
  const languages = DEMO_LANGUAGES.filter((l) => (byLanguage.get(l)?.length ?? 0) > 0);
  const weights = Object.fromEntries(languages.map((l) => [l, LANGUAGE_WEIGHTS[l]])) as Record<
    DemoLanguage,
    number
  >;
  // The first tickets cover every language, so even a tiny demo shows all four.
  const language = languages[index] ?? rng.weighted(weights);
  const pool = byLanguage.get(language) ?? [];
  // Skewed: a few customers write often, most write once or twice.
  const contact = pool[Math.floor(rng.float() ** 2 * pool.length)] ?? 0;
  const customer = contacts[contact];
  if (!customer) throw new Error("no contact");
  const bank = BANKS[language];
  const topic = rng.weighted(
    Object.fromEntries(Object.entries(TOPIC_ROUTES).map(([k, v]) => [k, v.weight])) as Record<Topic, number>,
  );
  const route = TOPIC_ROUTES[topic];
  const text = bank.topics[topic];
  const status =
    topic === "thanks"
      ? rng.pick<TicketStatus>(["solved", "closed", "closed"])
      : rng.weighted(STATUS_WEIGHTS);
  const channel = rng.weighted(CHANNEL_WEIGHTS as Record<Channel, number>);
  const agentIndex = pickAgent(rng, route.team, language);
  const agentShort = DEMO_AGENTS[agentIndex]?.short ?? "";
  const vars = {
    first: customer.givenName,
    agent: agentShort,
    order: `#${rng.int(10, 99)}${rng.digits(4)}`,
    invoice: `INV-${now.getUTCFullYear()}-${rng.digits(4)}`,
    tracking: `${rng.pick(["RM", "JT", "SPX", "DHL", "EMS"])}${rng.digits(9)}`,
    product: rng.pick(bank.products),
    amount: bank.money(rng.int(9, 420) + rng.pick([0, 0.5, 0.9, 0.99])),
  };
  const say = (t: string) => fill(t, vars);
  const chat = channel === "chat";
  const customerMessage = (t: string) =>
    chat ? say(t) : join(say(rng.pick(bank.customerHello)), say(t), say(rng.pick(bank.customerBye)));
  // Agents sign with their full name; customers address them by their short one.
  const signature = { ...vars, agent: DEMO_AGENTS[agentIndex]?.name ?? agentShort };
  const agentMessage = (t: string) =>
    chat
      ? say(t)
      : join(fill(rng.pick(bank.agentHello), signature), say(t), fill(rng.pick(bank.agentBye), signature));

  // Lay out the thread as delays from the first message; the ticket's creation time follows from its age.
  type Draft = { delay: number; step: Unstamped<Step> };
  const drafts: Draft[] = [];
  let t = 0;
  const after = (min: number, max: number) => {
    t += rng.int(min, max);
    return t;
  };
  const push = (delay: number, step: Unstamped<Step>) => drafts.push({ delay, step });
  const phone = channel === "phone";
  const assigned = status !== "new";
  if (assigned && !phone) push(after(5 * MINUTE, 4 * HOUR), { kind: "assign", agent: agentIndex });
  if (status === "new" && rng.chance(0.25))
    push(after(3 * HOUR, 20 * HOUR), { kind: "customer", body: customerMessage(rng.pick(bank.followUps)) });
  if (topic === "complaint" && assigned && rng.chance(0.5))
    push(after(10 * MINUTE, 2 * HOUR), { kind: "priority", agent: MANAGER, priority: "urgent" });
  if (assigned && rng.chance(0.35))
    push(after(10 * MINUTE, 3 * HOUR), { kind: "note", agent: agentIndex, body: say(rng.pick(text.notes)) });
  const reply = agentMessage(rng.pick(text.replies));
  switch (status) {
    case "new":
      break;
    case "open":
      if (rng.chance(0.6)) {
        push(after(20 * MINUTE, 8 * HOUR), { kind: "reply", agent: agentIndex, body: reply });
        push(after(2 * HOUR, 30 * HOUR), {
          kind: "customer",
          body: customerMessage(rng.pick(bank.followUps)),
        });
      }
      break;
    case "pending":
      push(after(20 * MINUTE, 8 * HOUR), {
        kind: "reply",
        agent: agentIndex,
        body: agentMessage(rng.pick(bank.agentAsks)),
        status: "pending",
      });
      break;
    case "on_hold":
      push(after(20 * MINUTE, 8 * HOUR), { kind: "reply", agent: agentIndex, body: reply });
      push(after(10 * MINUTE, 2 * HOUR), {
        kind: "note",
        agent: agentIndex,
        body: say(rng.pick(bank.holdNotes)),
      });
      push(after(1 * MINUTE, 10 * MINUTE), { kind: "status", agent: agentIndex, status: "on_hold" });
      break;
    case "solved":
    case "closed": {
      if (topic !== "thanks" && rng.chance(0.35)) {
        push(after(20 * MINUTE, 8 * HOUR), {
          kind: "reply",
          agent: agentIndex,
          body: agentMessage(rng.pick(bank.agentAsks)),
          status: "pending",
        });
        push(after(1 * HOUR, 2 * DAY), { kind: "customer", body: customerMessage(rng.pick(bank.followUps)) });
      }
      push(after(20 * MINUTE, 8 * HOUR), { kind: "reply", agent: agentIndex, body: reply });
      if (topic !== "thanks") {
        push(after(1 * HOUR, 2 * DAY), { kind: "customer", body: customerMessage(rng.pick(bank.thanks)) });
        push(after(10 * MINUTE, 5 * HOUR), {
          kind: "reply",
          agent: agentIndex,
          body: agentMessage(rng.pick(bank.agentWrapUps)),
          status: "solved",
        });
      } else {
        push(after(1 * MINUTE, 10 * MINUTE), { kind: "status", agent: agentIndex, status: "solved" });
      }
      if (rng.chance(0.2))
        push(after(1 * MINUTE, 30 * MINUTE), {
          kind: "tag",
          agent: agentIndex,
          tag: rng.pick(["follow-up", "feedback-requested", "repeat-customer"]),
        });
      if (status === "closed")
        push(after(4 * DAY, 4 * DAY), { kind: "status", agent: null, status: "closed" });
      break;
    }
  }
  const createdAt = new Date(now.getTime() - ageOf(rng, status) - t);
  // Dates in messages ("ordered on 3 May") come a few days before the ticket.
  const date = new Intl.DateTimeFormat(bank.locale, { day: "numeric", month: "long" }).format(
    new Date(createdAt.getTime() - rng.int(1, 6) * DAY),
  );
  const steps = drafts.map((d) => {
    const step = { ...d.step, at: new Date(createdAt.getTime() + d.delay) } as Step;
    if ("body" in step) step.body = fill(step.body, { date });
    return step;
  });
  const ticket: PlannedTicket = {
    language,
    topic,
    subject: fill(say(rng.pick(text.subjects)), { date }),
    body: fill(customerMessage(rng.pick(text.openings)), { date }),
    contact,
    channel,
    priority: rng.weighted(route.priority),
    team: route.team,
    tags: [...route.tags, ...(customer.tags.includes("vip") ? ["vip"] : [])],
    createdAt,
    openedBy: phone ? agentIndex : null,
    steps,
    finalStatus: status,
  };
  return ticket;
}

export function planDemo(opts: PlanOptions): DemoPlan {
  const rng = new Random(opts.seed);
  const organizations = planOrganizations();
  const contacts = planContacts(rng, opts.contacts, organizations, opts.now);
  const byLanguage = new Map<DemoLanguage, number[]>();
  contacts.forEach((c, i) => {
    byLanguage.set(c.language, [...(byLanguage.get(c.language) ?? []), i]);
  });
  const tickets: PlannedTicket[] = [];
  for (let i = 0; i < opts.tickets; i++) tickets.push(planTicket(rng, contacts, byLanguage, opts.now, i));
  tickets.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  // A customer exists before their first ticket.
  for (const t of tickets) {
    const c = contacts[t.contact];
    if (c && c.createdAt > t.createdAt)
      c.createdAt = new Date(t.createdAt.getTime() - rng.int(1, 60) * MINUTE);
  }
  return { organizations, contacts, tickets };
}
