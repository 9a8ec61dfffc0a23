import { NativeSelect } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { Me } from "../../lib/types.ts";
import { useAbsences, useUsers } from "./api.ts";

export const seesAllPlans = (me: Me) => me.user.role === "admin" || me.user.role === "manager";

/**
 * Whose plan a planner screen shows, kept in the URL (`?agent=<id>`).
 * Managers and admins pick any agent; an agent covering for absent colleagues picks one of
 * them, and the server answers with only the colleague's files handed to that agent.
 */
export function usePlanOwner(me: Me) {
  const [params, setParams] = useSearchParams();
  const picked = params.get("agent") ?? undefined;
  const all = seesAllPlans(me);
  const other = picked && picked !== me.user.id ? picked : undefined;
  return {
    /** The API's `userId`: another agent's plan (managers), or a covered colleague's (agents). */
    userId: other,
    /** An agent looking at an absent colleague's files they cover. */
    covering: !all && other !== undefined,
    picked: picked ?? me.user.id,
    setPicked: (id: string | null) => {
      const next = new URLSearchParams(params);
      if (!id || id === me.user.id) next.delete("agent");
      else next.set("agent", id);
      setParams(next, { replace: true });
    },
  };
}

export function AgentPicker({ me }: { me: Me }) {
  const { t } = useTranslation();
  const users = useUsers();
  const absences = useAbsences();
  const { picked, setPicked } = usePlanOwner(me);
  const all = seesAllPlans(me);
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  let data: { value: string; label: string }[];
  if (all) {
    data = (users.data ?? [])
      .filter((u) => u.active)
      .map((u) => ({ value: u.id, label: u.id === me.user.id ? t("planner.agent.mine") : u.name }));
  } else {
    const covered = new Set(
      (absences.data?.items ?? [])
        .filter((a) => a.coverId === me.user.id && a.status === "active")
        .map((a) => a.agentId),
    );
    if (covered.size === 0) return null;
    data = [
      { value: me.user.id, label: t("planner.agent.mine") },
      ...[...covered].map((id) => ({
        value: id,
        label: t("planner.agent.covering", { name: names.get(id) ?? "…" }),
      })),
    ];
  }
  if (!data.some((d) => d.value === me.user.id))
    data.unshift({ value: me.user.id, label: t("planner.agent.mine") });
  return (
    <NativeSelect
      label={t("planner.agent.label")}
      data={data}
      value={picked}
      onChange={(e) => setPicked(e.currentTarget.value)}
      w={260}
      data-testid="agent-picker"
    />
  );
}
