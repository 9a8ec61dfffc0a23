import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { SweepResult } from "@rapport/server/contract";
import type { RuleOp } from "@rapport/shared";
import { RULE_OPS, TICKET_PRIORITIES, TICKET_STATUSES, TRIGGER_EVENTS } from "@rapport/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { del, get, patch, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";
import { VALUE_CONDITION_FIELDS } from "../value/api.ts";
import type { Action, Condition, Rule, Webhook } from "./api.ts";

/** The editor offers every event and operator of the shared vocabularies (each translated: i18n.unit.test). */
const EVENTS = TRIGGER_EVENTS;
const TRIGGER_FIELDS = [
  "ticket.status",
  "ticket.priority",
  "ticket.channel",
  "ticket.subject",
  "ticket.tags",
  "ticket.language",
  "ticket.team_id",
  "ticket.assignee_id",
  "contact.name",
  "contact.email",
  "contact.language",
  "contact.tags",
  "message.body",
  "message.author_type",
  "csat.rating",
  "csat.good",
  "csat.comment",
  ...VALUE_CONDITION_FIELDS,
];
const TIME_FIELDS = [
  "ticket.hours_since_created",
  "ticket.hours_since_updated",
  "ticket.hours_since_solved",
  "ticket.hours_since_customer_message",
  "ticket.status",
  "ticket.priority",
  "ticket.tags",
  "ticket.team_id",
  "ticket.assignee_id",
];
const OPS = RULE_OPS;
const ACTIONS = [
  "set_status",
  "set_priority",
  "add_tags",
  "remove_tags",
  "assign",
  "add_note",
  "send_email",
  "notify",
  "webhook",
];

function conditionValue(op: string, raw: string): Condition["value"] {
  if (["is_empty", "not_empty", "changed"].includes(op)) return undefined;
  if (op === "gt" || op === "lt") return Number(raw);
  if (op === "in" || op === "not_in")
    return raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return raw;
}

function ActionEditor({ action, onChange }: { action: Action; onChange: (a: Action) => void }) {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const users = useUsers().data ?? [];
  // Webhooks are an administrator's; a manager editing rules gets a 403 here and no webhook choices.
  const hooks =
    useQuery({ queryKey: ["webhooks"], queryFn: () => get<Webhook[]>("/webhooks"), retry: false }).data ?? [];
  const set = (k: string, v: unknown) => onChange({ ...action, [k]: v });
  const s = (k: string) => (action[k] as string | undefined) ?? "";
  switch (action.type) {
    case "set_status":
      return (
        <Select
          aria-label={t("automations.value")}
          data={[...TICKET_STATUSES]}
          value={s("value") || null}
          onChange={(v) => set("value", v)}
          size="xs"
        />
      );
    case "set_priority":
      return (
        <Select
          aria-label={t("automations.value")}
          data={[...TICKET_PRIORITIES]}
          value={s("value") || null}
          onChange={(v) => set("value", v)}
          size="xs"
        />
      );
    case "add_tags":
    case "remove_tags":
      return (
        <TagsInput
          aria-label={t("automations.tags")}
          value={(action.tags as string[]) ?? []}
          onChange={(v) => set("tags", v)}
          size="xs"
        />
      );
    case "assign":
      return (
        <Group gap="xs">
          <Select
            aria-label={t("automations.toTeam")}
            placeholder={t("automations.toTeam")}
            data={teams.map((x) => ({ value: x.id, label: x.name }))}
            value={s("teamId") || null}
            onChange={(v) => set("teamId", v ?? undefined)}
            clearable
            size="xs"
          />
          <Select
            aria-label={t("automations.toAgent")}
            placeholder={t("automations.toAgent")}
            data={users.map((u) => ({ value: u.id, label: u.name }))}
            value={s("assigneeId") || null}
            onChange={(v) => set("assigneeId", v ?? undefined)}
            clearable
            size="xs"
          />
        </Group>
      );
    case "add_note":
      return (
        <Textarea
          aria-label={t("automations.noteBody")}
          value={s("body")}
          onChange={(e) => set("body", e.currentTarget.value)}
          autosize
          size="xs"
        />
      );
    case "send_email":
      return (
        <Stack gap={4}>
          <Select
            aria-label={t("automations.emailTo")}
            data={[
              { value: "requester", label: t("automations.requester") },
              { value: "assignee", label: t("automations.assignee") },
            ]}
            value={s("to") || "requester"}
            onChange={(v) => set("to", v)}
            size="xs"
          />
          <TextInput
            aria-label={t("automations.emailSubject")}
            placeholder={t("automations.emailSubject")}
            value={s("subject")}
            onChange={(e) => set("subject", e.currentTarget.value)}
            size="xs"
          />
          <Textarea
            aria-label={t("automations.emailBody")}
            placeholder={t("automations.emailBody")}
            value={s("body")}
            onChange={(e) => set("body", e.currentTarget.value)}
            autosize
            size="xs"
          />
        </Stack>
      );
    case "notify":
      return (
        <Group gap="xs">
          <Select
            aria-label={t("automations.notifyWho")}
            data={["assignee", "team", "managers", "admins"].map((v) => ({
              value: v,
              label: t(`automations.who.${v}`),
            }))}
            value={s("to") || "assignee"}
            onChange={(v) => set("to", v)}
            size="xs"
          />
          <TextInput
            aria-label={t("automations.notifyTitle")}
            placeholder={t("automations.notifyTitle")}
            value={s("title")}
            onChange={(e) => set("title", e.currentTarget.value)}
            size="xs"
          />
        </Group>
      );
    case "webhook":
      return (
        <Select
          aria-label={t("automations.webhook")}
          data={hooks.map((h) => ({ value: h.id, label: h.name }))}
          value={s("webhookId") || null}
          onChange={(v) => set("webhookId", v)}
          size="xs"
        />
      );
    default:
      return null;
  }
}

function defaults(type: string): Action {
  if (type === "send_email") return { type, to: "requester", subject: "", body: "" };
  if (type === "notify") return { type, to: "assignee", title: "" };
  if (type === "add_tags" || type === "remove_tags") return { type, tags: [] };
  return { type };
}

function RuleForm({ kind, onDone }: { kind: "triggers" | "time-rules"; onDone: () => void }) {
  const { t } = useTranslation();
  const fields = kind === "triggers" ? TRIGGER_FIELDS : TIME_FIELDS;
  const [name, setName] = useState("");
  const [events, setEvents] = useState<string[]>(["ticket.created"]);
  const [match, setMatch] = useState("all");
  const [conds, setConds] = useState<Array<{ field: string; op: RuleOp; raw: string }>>([
    { field: fields[0] ?? "ticket.status", op: kind === "triggers" ? "is" : "gt", raw: "" },
  ]);
  const [actions, setActions] = useState<Action[]>([defaults("add_tags")]);
  const save = useMutation({
    mutationFn: () =>
      post(`/${kind}`, {
        name,
        match,
        ...(kind === "triggers" ? { events } : {}),
        conditions: conds.map<Condition>((c) => ({
          field: c.field,
          op: c.op,
          value: conditionValue(c.op, c.raw),
        })),
        actions,
      }),
    onSuccess: () => {
      setName("");
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Title order={3} size="h5">
            {kind === "triggers" ? t("automations.newTrigger") : t("automations.newTimeRule")}
          </Title>
          <TextInput
            label={t("automations.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={200}
          />
          {kind === "triggers" && (
            <MultiSelect
              label={t("automations.events")}
              data={EVENTS.map((e) => ({ value: e, label: t(`automations.event.${e}`) }))}
              value={events}
              onChange={setEvents}
            />
          )}
          <SegmentedControl
            aria-label={t("automations.match")}
            value={match}
            onChange={setMatch}
            data={[
              { value: "all", label: t("automations.matchAll") },
              { value: "any", label: t("automations.matchAny") },
            ]}
          />
          <Text size="sm" fw={500}>
            {t("automations.conditions")}
          </Text>
          {conds.map((c, i) => (
            <Group key={i} gap="xs" wrap="nowrap">
              <Select
                aria-label={t("automations.field")}
                data={fields}
                value={c.field}
                onChange={(v) => v && setConds((x) => x.map((y, j) => (j === i ? { ...y, field: v } : y)))}
                size="xs"
                searchable
              />
              <Select
                aria-label={t("automations.operator")}
                data={OPS.map((o) => ({ value: o, label: t(`automations.op.${o}`) }))}
                value={c.op}
                onChange={(v) =>
                  v && setConds((x) => x.map((y, j) => (j === i ? { ...y, op: v as RuleOp } : y)))
                }
                size="xs"
              />
              <TextInput
                aria-label={t("automations.value")}
                value={c.raw}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setConds((x) => x.map((y, j) => (j === i ? { ...y, raw: v } : y)));
                }}
                size="xs"
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("automations.removeCondition")}
                onClick={() => setConds((x) => x.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            size="xs"
            onClick={() =>
              setConds((x) => [...x, { field: fields[0] ?? "ticket.status", op: "is", raw: "" }])
            }
          >
            {t("automations.addCondition")}
          </Button>
          <Text size="sm" fw={500}>
            {t("automations.actions")}
          </Text>
          {actions.map((a, i) => (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
              <Select
                aria-label={t("automations.actionType")}
                data={ACTIONS.map((x) => ({ value: x, label: t(`automations.action.${x}`) }))}
                value={a.type}
                onChange={(v) => v && setActions((x) => x.map((y, j) => (j === i ? defaults(v) : y)))}
                size="xs"
              />
              <ActionEditor
                action={a}
                onChange={(n) => setActions((x) => x.map((y, j) => (j === i ? n : y)))}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("automations.removeAction")}
                onClick={() => setActions((x) => x.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Button variant="subtle" size="xs" onClick={() => setActions((x) => [...x, defaults("add_tags")])}>
            {t("automations.addAction")}
          </Button>
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("automations.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Triggers or time-based rules: the list in order, on/off, delete, and a builder for new ones. */
export default function RulesAdmin({ kind }: { kind: "triggers" | "time-rules" }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: [kind], queryFn: () => get<Rule[]>(`/${kind}`) });
  const refresh = () => qc.invalidateQueries({ queryKey: [kind] });
  const toggle = useMutation({
    mutationFn: (r: Rule) => patch(`/${kind}/${r.id}`, { active: !r.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/${kind}/${id}`), onSuccess: refresh });
  const run = useMutation({
    mutationFn: () => post<SweepResult>("/time-rules/run"),
    onSuccess: refresh,
  });
  return (
    <Stack>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("automations.name")}</Table.Th>
            <Table.Th>{kind === "triggers" ? t("automations.events") : t("automations.lastRun")}</Table.Th>
            <Table.Th>{t("automations.summary")}</Table.Th>
            <Table.Th>{t("automations.active")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rules.data ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>
                {kind === "triggers"
                  ? (r.events ?? []).map((e) => (
                      <Badge key={e} variant="light" mr={4}>
                        {t(`automations.event.${e}`)}
                      </Badge>
                    ))
                  : r.lastRunAt
                    ? formatDateTime(r.lastRunAt)
                    : "—"}
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {t("automations.summaryText", {
                    conditions: r.conditions.length,
                    actions: r.actions.length,
                  })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Switch
                  aria-label={t("automations.activeNamed", { name: r.name })}
                  checked={r.active}
                  onChange={() => toggle.mutate(r)}
                />
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => remove.mutate(r.id)}
                  aria-label={t("automations.deleteNamed", { name: r.name })}
                >
                  {t("automations.delete")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {kind === "time-rules" && (
        <Group>
          <Button variant="light" onClick={() => run.mutate()} loading={run.isPending}>
            {t("automations.runNow")}
          </Button>
          {run.data && <Text size="sm">{t("automations.acted", { n: run.data.acted })}</Text>}
        </Group>
      )}
      <RuleForm kind={kind} onDone={refresh} />
    </Stack>
  );
}
