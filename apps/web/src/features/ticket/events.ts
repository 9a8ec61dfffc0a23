import type { TFunction } from "i18next";
import { useMemo } from "react";
import { formatDateTime, formatLanguage } from "../../lib/format.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";

/** A ticket timeline event as the ticket thread and the dossier get it. */
export type EventLike = { type: string; data: Record<string, unknown>; actorName: string | null };
/** Names for the ids an event carries (agents, teams). */
export type NameLookup = {
  user: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
};

/** Agent and team names for event sentences (from the cached user and team lists). */
export function useEventNames(): NameLookup {
  const users = useUsers().data;
  const teams = useTeams().data;
  return useMemo(() => {
    const u = new Map((users ?? []).map((x) => [x.id, x.name]));
    const tm = new Map((teams ?? []).map((x) => [x.id, x.name]));
    return { user: (id) => u.get(id), team: (id) => tm.get(id) };
  }, [users, teams]);
}

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/** Event types with a sentence of their own (`event.<type>` in the catalogs, dots as underscores). */
const SENTENCES = new Set([
  "ticket.created",
  "reply.added",
  "note.added",
  "language.detected",
  "sla.breached",
  "trigger.fired",
  "automation.loop_bound",
  "routing.unassigned",
  "ticket.runaround",
  "chat.transferred",
  "csat.scheduled",
  "csat.sent",
  "csat.discarded",
  "csat.rated",
  "csat.skipped",
  "csat.unskipped",
  "side_conversation.started",
  "side_conversation.replied",
  "side_conversation.closed",
  "side_conversation.reopened",
  "side_conversation.received",
  "link.added",
  "link.removed",
  "message.split",
  "ticket.split_from",
  "ticket.merged_into",
  "ticket.merged",
  "ticket.follow_up_of",
  "ticket.follow_up_created",
]);

/**
 * One translated sentence for a ticket event, with names instead of ids: "Ada changed the status
 * from Open to Pending", "Ada merged ticket #12 into this one". Types without a sentence of their
 * own (a feature's, such as compensation) use the feature's `ticket.event.*` phrase; anything
 * unknown reads "… updated the ticket", never a raw code.
 */
export function eventSentence(e: EventLike, t: TFunction, names: NameLookup): string {
  const who = e.actorName ?? t("event.system");
  const d = e.data;
  const key = e.type.replace(/\./g, "_");
  const [field = "", verb] = e.type.split(".");
  if (verb === "changed") {
    const value = (v: unknown): string => {
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0))
        return t("event.none");
      if (field === "status") return t(`status.${str(v)}`);
      if (field === "priority") return t(`priority.${str(v)}`);
      if (field === "assignee") return names.user(str(v)) ?? t("event.someone");
      if (field === "team") return names.team(str(v)) ?? t("event.aTeam");
      if (field === "language") return formatLanguage(str(v));
      if (Array.isArray(v)) return v.map(str).join(", ");
      return str(v);
    };
    if (["status", "priority", "assignee", "team", "tags", "subject", "language"].includes(field))
      return t(`event.${field}_changed`, { who, from: value(d.from), to: value(d.to) });
    return t("event.field_changed", {
      who,
      field: t(`ticket.field.${field}`, { defaultValue: t("event.aField") }),
    });
  }
  if (SENTENCES.has(e.type))
    return t(`event.${key}`, {
      who,
      number: str(d.number),
      name: str(d.name) || str(d.toName) || (d.to ? names.user(str(d.to)) : undefined) || t("event.someone"),
      subject: str(d.subject),
      from: str(d.from),
      language: formatLanguage(str(d.language)),
      metric: t(`sla.metric.${str(d.metric)}`, { defaultValue: t("event.aTarget") }),
      due: d.dueAt ? formatDateTime(str(d.dueAt)) : "",
      count: Number(d.transfers ?? 0),
      rating: str(d.rating) || (d.good === true ? t("event.good") : d.good === false ? t("event.bad") : ""),
      sendAt: d.sendAt ? formatDateTime(str(d.sendAt)) : "",
    });
  if (t(`ticket.event.${key}`, { defaultValue: "" }))
    return t("event.phrase", { who, what: t(`ticket.event.${key}`) });
  return t("event.other", { who });
}
