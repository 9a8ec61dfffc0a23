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
