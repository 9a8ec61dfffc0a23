/** The automation rule vocabulary: events a trigger runs on and condition operators (modules/automations). */
export const TRIGGER_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "customer.replied",
  "agent.replied",
  /** A customer answered a satisfaction survey (conditions on csat.rating, csat.good, csat.comment). */
  "csat.rated",
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const RULE_OPS = [
  "is",
  "is_not",
  "contains",
  "not_contains",
  "starts_with",
  "in",
  "not_in",
  "includes",
  "not_includes",
  "is_empty",
  "not_empty",
  "gt",
  "lt",
  "changed",
  "changed_to",
  "changed_from",
] as const;
export type RuleOp = (typeof RULE_OPS)[number];
