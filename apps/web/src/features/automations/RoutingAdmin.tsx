import { Badge, Button, Group, NumberInput, Select, Stack, Table, TagsInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, get } from "../../lib/api.ts";
import type { AgentRouting, RoutingMode, TeamRouting } from "./api.ts";

const MODES: RoutingMode[] = ["manual", "round_robin", "least_loaded"];

function AgentRow({ agent }: { agent: AgentRouting }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [languages, setLanguages] = useState(agent.languages);
  const [skills, setSkills] = useState(agent.skills);
  const [capacity, setCapacity] = useState<number | string>(agent.capacity ?? "");
  const save = useMutation({
    mutationFn: () =>
      api("PUT", `/routing/agents/${agent.id}`, {
        languages,
        skills,
        capacity: capacity === "" ? null : Number(capacity),
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["routing-agents"] }),
  });
  return (
    <Table.Tr>
      <Table.Td>{agent.name}</Table.Td>
      <Table.Td>
        <Badge
          variant="light"
          color={
            agent.availability === "online" ? "green" : agent.availability === "away" ? "yellow" : "gray"
          }
        >
          {t(`automations.availability.${agent.availability}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <TagsInput
          aria-label={t("automations.languagesOf", { name: agent.name })}
          value={languages}
          onChange={setLanguages}
          size="xs"
        />
      </Table.Td>
      <Table.Td>
        <TagsInput
          aria-label={t("automations.skillsOf", { name: agent.name })}
          value={skills}
          onChange={setSkills}
          size="xs"
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={t("automations.capacityOf", { name: agent.name })}
          value={capacity}
          onChange={setCapacity}
          min={0}
          max={10000}
          allowDecimal={false}
          placeholder={t("automations.unlimited")}
          size="xs"
          w={110}
        />
      </Table.Td>
      <Table.Td>{agent.load}</Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" onClick={() => save.mutate()} loading={save.isPending}>
          {t("automations.save")}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** Routing: each team's assignment mode; each agent's languages, skills and capacity. */
export default function RoutingAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useQuery({
    queryKey: ["routing-teams"],
    queryFn: () => get<TeamRouting[]>("/routing/teams"),
  });
  const agents = useQuery({
    queryKey: ["routing-agents"],
    queryFn: () => get<AgentRouting[]>("/routing/agents"),
  });
  const setMode = useMutation({
    mutationFn: (b: { teamId: string; mode: string }) =>
      api("PUT", `/routing/teams/${b.teamId}`, { mode: b.mode }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["routing-teams"] }),
  });
  return (
    <Stack>
      <Title order={2} size="h4">
        {t("automations.routingTeams")}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("automations.team")}</Table.Th>
            <Table.Th>{t("automations.mode")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(teams.data ?? []).map((team) => (
            <Table.Tr key={team.teamId}>
              <Table.Td>{team.name}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={t("automations.modeOf", { name: team.name })}
                  data={MODES.map((m) => ({ value: m, label: t(`automations.mode.${m}`) }))}
                  value={team.mode}
                  onChange={(mode) => mode && setMode.mutate({ teamId: team.teamId, mode })}
                  allowDeselect={false}
                  size="xs"
                  w={200}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4">
        {t("automations.routingAgents")}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("automations.agent")}</Table.Th>
            <Table.Th>{t("automations.availabilityHead")}</Table.Th>
            <Table.Th>{t("automations.languages")}</Table.Th>
            <Table.Th>{t("automations.skills")}</Table.Th>
            <Table.Th>{t("automations.capacity")}</Table.Th>
            <Table.Th>{t("automations.load")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(agents.data ?? [])
            .filter((a) => a.active)
            .map((a) => (
              <AgentRow key={a.id} agent={a} />
            ))}
        </Table.Tbody>
      </Table>
      <Group />
    </Stack>
  );
}
