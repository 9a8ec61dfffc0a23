/** Domain vocabularies shared by the server, the web app and the widget. */
export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses that count as "open" work in the inbox. */
export const OPEN_STATUSES = ["new", "open"] as const satisfies readonly TicketStatus[];
/** Statuses where the ticket waits on somebody else than the agent. */
export const WAITING_STATUSES = ["pending", "on_hold"] as const satisfies readonly TicketStatus[];
/** Every status that is not done yet ("unsolved" in Zendesk). */
export const UNSOLVED_STATUSES = [
  "new",
  "open",
  "pending",
  "on_hold",
] as const satisfies readonly TicketStatus[];

export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Delivery of an outgoing message on its channel (email, webhook channel, chat). */
export const DELIVERY_STATUSES = ["queued", "sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const CHANNELS = ["email", "chat", "phone", "web", "api", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

export const ROLES = ["admin", "manager", "agent"] as const;
export type Role = (typeof ROLES)[number];

export const AVAILABILITIES = ["online", "away", "offline"] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** UI languages Rapport ships complete. */
export const LOCALES = ["en", "vi", "km", "ta"] as const;
export type Locale = (typeof LOCALES)[number];

export const ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "invalid_json",
  "invalid_encoding",
  "payload_too_large",
  "unsupported_media_type",
  "unauthenticated",
  "csrf_failed",
  "forbidden",
  "not_found",
  "conflict",
  "setup_done",
  "rate_limited",
  "invalid_credentials",
  "invalid_token",
  /** An outbound URL (webhook, channel) points to an address the SSRF guard refuses. */
  "url_not_allowed",
  /** 503: the database is restarting or failing over; retry after `Retry-After` seconds. */
  "unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A customer message's sentiment, worst first (the order of the database enum, so min() is the worst). */
export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** Categories of tone-check rules (docs/compensation-and-tone.md). */
export const TONE_CATEGORIES = ["refusal", "blame", "not-my-job", "uncertainty", "rudeness"] as const;
export type ToneCategory = (typeof TONE_CATEGORIES)[number];

/**
 * The getting-started checklist of a new organization, in the order an admin works through it
 * (GET /getting-started ticks each from the data it is about).
 */
export const GETTING_STARTED_STEPS = [
  "mailbox",
  "agents",
  "hours",
  "widget",
  "webForm",
  "contacts",
  "testTicket",
] as const;
export type GettingStartedStep = (typeof GETTING_STARTED_STEPS)[number];

/** What an agent promised a customer (promises module), and where the promise stands. */
export const PROMISE_KINDS = ["call_back", "refund", "discount", "send_info", "follow_up"] as const;
export type PromiseKind = (typeof PROMISE_KINDS)[number];
export const PROMISE_STATUSES = ["open", "kept", "cancelled"] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/** What a custom field belongs to, and the kinds of value it holds (fields module). */
export const FIELD_ENTITIES = ["contact", "organization", "ticket"] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];
export const FIELD_TYPES = ["text", "number", "date", "select", "multiselect", "boolean", "link"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** How a planned contact with a customer happens, and where it stands (planner module). */
export const PLANNER_CHANNELS = ["phone", "email", "chat", "meeting", "visit", "video", "other"] as const;
export type PlannerChannel = (typeof PLANNER_CHANNELS)[number];
export const PLANNED_STATUSES = ["planned", "done", "missed", "cancelled"] as const;
export type PlannedStatus = (typeof PLANNED_STATUSES)[number];

/** Phone calls and call-backs (phone module): direction, how a call ended, where a call-back came from and stands. */
export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export const CALL_OUTCOMES = [
  "answered",
  "no_answer",
  "busy",
  "voicemail",
  "wrong_number",
  "failed",
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALLBACK_SOURCES = ["widget", "form", "portal", "agent"] as const;
export type CallbackSource = (typeof CALLBACK_SOURCES)[number];
export const CALLBACK_STATUSES = ["open", "done", "cancelled"] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export const CALLBACK_OUTCOMES = ["reached", "no_answer", "wrong_number"] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/** Where a received email stands (the mail log lists failures first). */
export const INBOUND_STATUSES = [
  "failed",
  "received",
  "processed",
  "duplicate",
  "ignored",
  "bounce",
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
/** Where an email in the outgoing queue stands. */
export const OUTBOUND_STATUSES = ["queued", "sent", "failed", "bounced"] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];
