/** The four languages the demo data is written in (the four shipped UI languages). */
export const DEMO_LANGUAGES = ["en", "vi", "km", "ta"] as const;
export type DemoLanguage = (typeof DEMO_LANGUAGES)[number];

/** What customers write about. Each topic routes to a team and carries its tags. */
export const TOPICS = [
  "order_status",
  "delivery_delay",
  "damaged_item",
  "refund",
  "invoice",
  "account_access",
  "product_question",
  "complaint",
  "thanks",
] as const;
export type Topic = (typeof TOPICS)[number];

/**
 * Texts for one topic. Placeholders: {first} the customer's given name, {agent} the
 * agent's name, {order}, {invoice}, {tracking}, {product}, {amount}, {date}.
 */
export type TopicText = {
  subjects: string[];
  /** The customer's first message. */
  openings: string[];
  /** The agent's first public reply. */
  replies: string[];
  /** Internal notes between agents. */
  notes: string[];
};

/** A country customers of a language call from: E.164 numbers are +dial, a prefix, then `rest` digits. */
export type PhonePlan = {
  dial: string;
  prefixes: string[];
  rest: number;
  timeZone: string;
  weight: number;
};

export type Bank = {
  language: DemoLanguage;
  /** Intl locale for dates in messages. */
  locale: string;
  /** [as written, romanized for email addresses] */
  givenNames: Array<[string, string]>;
  familyNames: Array<[string, string]>;
  /** Vietnamese and Khmer write the family name first. */
  familyFirst: boolean;
  phones: PhonePlan[];
  /** Company names with their email domain (reserved .example names, so no real mailbox gets demo mail). */
  organizations: Array<{ name: string; domain: string }>;
  products: string[];
  /** An amount of money as customers of this language write it, from a number in US dollars. */
  money: (usd: number) => string;
  /** How a customer opens and signs a message. */
  customerHello: string[];
  customerBye: string[];
  /** How an agent opens and signs a reply. */
  agentHello: string[];
  agentBye: string[];
  /** Customer chasing an unanswered request. */
  followUps: string[];
  /** Customer confirming the problem is solved. */
  thanks: string[];
  /** Agent's last reply before solving. */
  agentWrapUps: string[];
  /** Agent asking the customer for something (the ticket then waits: pending). */
  agentAsks: string[];
  /** Internal note when the ticket is put on hold. */
  holdNotes: string[];
  contactNotes: string[];
  topics: Record<Topic, TopicText>;
};
