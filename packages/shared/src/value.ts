/**
 * Customer value vocabularies shared by the server and the web app (issue 17).
 */

/** What SLA policies and triggers may test about a ticket's requester: `value.<name>`. */
export const VALUE_FIELDS = [
  "segment",
  "tier",
  "tier_rank",
  "lifetime_spent",
  "window_spent",
  "purchases",
  "frequency",
  "days_since_purchase",
  "points",
  "relationship_type",
  "r_score",
  "f_score",
  "m_score",
] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/** Piercy's four relationship types. */
export const RELATIONSHIP_TYPES = ["seeker", "loyal", "exploiter", "one_time"] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/**
 * Loyalty points as a compensation kind (docs/compensation-and-tone.md): the amount is whole
 * points, carried in the pseudo-currency "PTS" (the only currency of that kind, and the kind's
 * only currency), so limits per case and per month are written in points.
 */
export const LOYALTY_POINTS_KIND = "loyalty_points";
export const POINTS_CURRENCY = "PTS";
