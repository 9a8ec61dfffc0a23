import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { canonicalTimeZone, localTimeZone, TICKET_PRIORITIES } from "@rapport/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { timeZones } from "../auth/SetupPage.tsx";
import { VALUE_CONDITION_FIELDS } from "../value/api.ts";
import {
  type Calendar,
  type Condition,
  type Escalation,
  type Policy,
  type TargetSpec,
  useCalendars,
  useDeleteCalendar,
  useDeletePolicy,
  usePolicies,
  useSaveCalendar,
  useSavePolicy,
} from "./api.ts";

const DAYS = ["1", "2", "3", "4", "5", "6", "0"];
const errorText = (e: unknown) => (e instanceof ApiError ? e.message : e ? String(e) : null);

/** "09:00-12:00, 13:00-17:00" <-> intervals (an end before the start runs overnight). */
const intervalsToText = (i: Calendar["week"][string] | undefined) =>
  (i ?? []).map((x) => `${x.start}-${x.end}`).join(", ");
const textToIntervals = (s: string) =>
  s
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [start = "", end = ""] = p.split("-").map((x) => x.trim());
      return { start, end };
    });
/** One holiday a line: "2026-09-02 yearly Quốc khánh" or "2026-11-08 Diwali". */
const holidaysToText = (h: Calendar["holidays"]) =>
  h.map((x) => [x.date, x.yearly ? "yearly" : "", x.name ?? ""].filter(Boolean).join(" ")).join("\n");
const textToHolidays = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [date = "", ...rest] = l.split(/\s+/);
      const yearly = rest[0] === "yearly";
      const name = (yearly ? rest.slice(1) : rest).join(" ");
      return { date, yearly, ...(name ? { name } : {}) };
    });

function CalendarForm({ calendar, onDone }: { calendar?: Calendar; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveCalendar();
  const [name, setName] = useState(calendar?.name ?? "");
  // The browser's own zone by its canonical name (Chromium reports "Asia/Saigon" as it was given).
  const [timeZone, setTimeZone] = useState(
    calendar ? (canonicalTimeZone(calendar.timeZone) ?? calendar.timeZone) : localTimeZone(),
  );
  const [week, setWeek] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      DAYS.map((d) => [
        d,
        intervalsToText(
          calendar?.week[d] ?? (["0", "6"].includes(d) ? [] : [{ start: "09:00", end: "17:00" }]),
        ),
      ]),
    ),
  );
  const [holidays, setHolidays] = useState(holidaysToText(calendar?.holidays ?? []));
  const dayName = (d: string) =>
    new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone: "UTC" }).format(
      new Date(Date.UTC(2023, 0, 1 + Number(d))),
    );
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              id: calendar?.id,
              body: {
                name,
                timeZone,
                week: Object.fromEntries(
                  Object.entries(week)
                    .map(([d, s]) => [d, textToIntervals(s)])
                    .filter(([, i]) => (i as unknown[]).length > 0),
                ),
                holidays: textToHolidays(holidays),
              },
            },
            { onSuccess: onDone },
          );
        }}
      >
        <Stack gap="xs">
          <Group grow>
            <TextInput
              label={t("sla.cal.name")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
            />
            <NativeSelect
              label={t("sla.cal.timeZone")}
              value={timeZone}
              onChange={(e) => setTimeZone(e.currentTarget.value)}
              data={timeZones()}
              required
            />
          </Group>
          <Text size="sm" c="dimmed">
            {t("sla.cal.hoursHelp")}
          </Text>
          {DAYS.map((d) => (
            <TextInput
              key={d}
              label={dayName(d)}
              placeholder={t("sla.cal.closed")}
              value={week[d] ?? ""}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setWeek((w) => ({ ...w, [d]: v }));
              }}
            />
          ))}
          <Textarea
            label={t("sla.cal.holidays")}
            description={t("sla.cal.holidaysHelp")}
            autosize
            minRows={2}
            value={holidays}
            onChange={(e) => setHolidays(e.currentTarget.value)}
          />
          {save.error && <Alert color="red">{errorText(save.error)}</Alert>}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("sla.save")}
            </Button>
            <Button variant="subtle" onClick={onDone}>
              {t("sla.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function CalendarsTab() {
  const { t } = useTranslation();
  const cals = useCalendars().data?.items ?? [];
  const remove = useDeleteCalendar();
  const save = useSaveCalendar();
  const [editing, setEditing] = useState<Calendar | "new" | null>(null);
  if (editing)
    return (
      <CalendarForm calendar={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />
    );
  return (
    <Stack>
      <Group>
        <Button onClick={() => setEditing("new")}>{t("sla.cal.new")}</Button>
      </Group>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("sla.cal.name")}</Table.Th>
            <Table.Th>{t("sla.cal.timeZone")}</Table.Th>
            <Table.Th>{t("sla.cal.holidays")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cals.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                {c.name} {c.isDefault && <Badge size="xs">{t("sla.default")}</Badge>}
              </Table.Td>
              <Table.Td>{c.timeZone}</Table.Td>
              <Table.Td>{c.holidays.length}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  <Button size="compact-sm" variant="light" onClick={() => setEditing(c)}>
                    {t("sla.edit")}
                  </Button>
                  {!c.isDefault && (
                    <>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => save.mutate({ id: c.id, body: { ...c, isDefault: true } })}
                      >
                        {t("sla.makeDefault")}
                      </Button>
                      <Button
                        size="compact-sm"
                        color="red"
                        variant="subtle"
                        onClick={() => remove.mutate(c.id)}
                      >
                        {t("sla.delete")}
                      </Button>
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

const METRICS = ["firstResponse", "nextResponse", "resolution"] as const;
const FIELDS = ["priority", "channel", "team", "tag", "language", "contact.tier", ...VALUE_CONDITION_FIELDS];
const OPS = ["is", "is_not", "in", "contains", "gt", "lt"] as const;
const ESCALATIONS = ["notify", "reassign", "raise_priority", "notify_manager"] as const;

function TargetEditor({
  label,
  spec,
  onChange,
}: {
  label: string;
  spec: TargetSpec | null;
  onChange: (s: TargetSpec | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" gap="xs">
      <Checkbox
        label={label}
        checked={!!spec}
        onChange={(e) =>
          onChange(e.currentTarget.checked ? { minutes: 600, goalMinutes: 480, business: true } : null)
        }
        w={180}
      />
      {spec && (
        <>
          <NumberInput
            label={t("sla.pol.hours")}
            min={0.1}
            step={0.5}
            decimalScale={2}
            value={spec.minutes / 60}
            onChange={(v) => onChange({ ...spec, minutes: Math.max(1, Math.round(Number(v) * 60)) })}
            w={110}
          />
          <NumberInput
            label={t("sla.pol.goalHours")}
            min={0}
            step={0.5}
            decimalScale={2}
            value={spec.goalMinutes !== null ? spec.goalMinutes / 60 : ""}
            onChange={(v) =>
              onChange({ ...spec, goalMinutes: v === "" ? null : Math.max(1, Math.round(Number(v) * 60)) })
            }
            w={130}
          />
          <Checkbox
            label={t("sla.pol.business")}
            checked={spec.business}
            onChange={(e) => onChange({ ...spec, business: e.currentTarget.checked })}
          />
        </>
      )}
    </Group>
  );
}

function PolicyForm({ policy, onDone }: { policy?: Policy; onDone: () => void }) {
  const { t } = useTranslation();
  const cals = useCalendars().data?.items ?? [];
  const save = useSavePolicy();
  const [p, setP] = useState<Omit<Policy, "id" | "isDefault">>(() => ({
    name: policy?.name ?? "",
    position: policy?.position ?? 10,
    active: policy?.active ?? true,
    conditions: policy?.conditions ?? [],
    calendarId: policy?.calendarId ?? null,
    targets: policy?.targets ?? {
      firstResponse: { minutes: 240, goalMinutes: 180, business: true },
      nextResponse: null,
      resolution: null,
    },
    pauseStatuses: policy?.pauseStatuses ?? ["pending", "on_hold"],
    warnMinutes: policy?.warnMinutes ?? 60,
    escalations: policy?.escalations ?? [{ type: "notify" }],
  }));
  const setCondition = (i: number, c: Partial<Condition>) =>
    setP((x) => ({ ...x, conditions: x.conditions.map((old, j) => (j === i ? { ...old, ...c } : old)) }));
  const hasEscalation = (type: Escalation["type"]) => p.escalations.some((e) => e.type === type);
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body = policy?.isDefault
            ? { ...p, conditions: undefined, position: undefined, active: undefined }
            : p;
          save.mutate({ id: policy?.id, body }, { onSuccess: onDone });
        }}
      >
        <Stack gap="xs">
          <Group grow>
            <TextInput
              label={t("sla.pol.name")}
              value={p.name}
              onChange={(e) => setP({ ...p, name: e.currentTarget.value })}
              required
            />
            {!policy?.isDefault && (
              <NumberInput
                label={t("sla.pol.position")}
                min={0}
                value={p.position}
                onChange={(v) => setP({ ...p, position: Number(v) || 0 })}
              />
            )}
            <NativeSelect
              label={t("sla.pol.calendar")}
              value={p.calendarId ?? ""}
              onChange={(e) => setP({ ...p, calendarId: e.currentTarget.value || null })}
              data={[
                { value: "", label: t("sla.pol.defaultCalendar") },
                ...cals.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
          </Group>
          {!policy?.isDefault && (
            <Stack gap={4}>
              <Text fw={500} size="sm">
                {t("sla.pol.conditions")}
              </Text>
              {p.conditions.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("sla.pol.noConditions")}
                </Text>
              )}
              {p.conditions.map((c, i) => (
                <Group key={i} gap="xs" align="flex-end">
                  <TextInput
                    label={t("sla.pol.field")}
                    value={c.field}
                    list="sla-fields"
                    onChange={(e) => setCondition(i, { field: e.currentTarget.value })}
                    description={t("sla.pol.fieldHelp")}
                  />
                  <NativeSelect
                    label={t("sla.pol.op")}
                    value={c.op}
                    onChange={(e) => setCondition(i, { op: e.currentTarget.value as Condition["op"] })}
                    data={OPS.map((o) => ({ value: o, label: t(`sla.op.${o}`) }))}
                  />
                  <TextInput
                    label={t("sla.pol.value")}
                    value={Array.isArray(c.value) ? c.value.join(", ") : c.value}
                    placeholder={c.field === "priority" ? TICKET_PRIORITIES.join(", ") : ""}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setCondition(i, {
                        value:
                          c.op === "in"
                            ? v
                                .split(",")
                                .map((s) => s.trim())
                                .filter(Boolean)
                            : v,
                      });
                    }}
                  />
                  <Button
                    variant="subtle"
                    color="red"
                    onClick={() => setP({ ...p, conditions: p.conditions.filter((_, j) => j !== i) })}
                  >
                    {t("sla.delete")}
                  </Button>
                </Group>
              ))}
              <datalist id="sla-fields">
                {FIELDS.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
              <Group>
                <Button
                  variant="light"
                  size="xs"
                  onClick={() =>
                    setP({
                      ...p,
                      conditions: [...p.conditions, { field: "priority", op: "is", value: "urgent" }],
                    })
                  }
                >
                  {t("sla.pol.addCondition")}
                </Button>
              </Group>
            </Stack>
          )}
          <Text fw={500} size="sm">
            {t("sla.pol.targets")}
          </Text>
          {METRICS.map((m) => (
            <TargetEditor
              key={m}
              label={t(`sla.target.${m}`)}
              spec={p.targets[m]}
              onChange={(s) => setP({ ...p, targets: { ...p.targets, [m]: s } })}
            />
          ))}
          <Group>
            <Checkbox
              label={t("sla.pol.pausePending")}
              checked={p.pauseStatuses.includes("pending")}
              onChange={(e) =>
                setP({
                  ...p,
                  pauseStatuses: e.currentTarget.checked
                    ? [...p.pauseStatuses, "pending"]
                    : p.pauseStatuses.filter((s) => s !== "pending"),
                })
              }
            />
            <Checkbox
              label={t("sla.pol.pauseOnHold")}
              checked={p.pauseStatuses.includes("on_hold")}
              onChange={(e) =>
                setP({
                  ...p,
                  pauseStatuses: e.currentTarget.checked
                    ? [...p.pauseStatuses, "on_hold"]
                    : p.pauseStatuses.filter((s) => s !== "on_hold"),
                })
              }
            />
            <NumberInput
              label={t("sla.pol.warnMinutes")}
              min={0}
              value={p.warnMinutes}
              onChange={(v) => setP({ ...p, warnMinutes: Number(v) || 0 })}
              w={200}
            />
          </Group>
          <Text fw={500} size="sm">
            {t("sla.pol.escalations")}
          </Text>
          <Group>
            {ESCALATIONS.filter((e) => e !== "reassign").map((type) => (
              <Checkbox
                key={type}
                label={t(`sla.esc.${type}`)}
                checked={hasEscalation(type)}
                onChange={(e) =>
                  setP({
                    ...p,
                    escalations: e.currentTarget.checked
                      ? [...p.escalations, { type }]
                      : p.escalations.filter((x) => x.type !== type),
                  })
                }
              />
            ))}
          </Group>
          {save.error && <Alert color="red">{errorText(save.error)}</Alert>}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("sla.save")}
            </Button>
            <Button variant="subtle" onClick={onDone}>
              {t("sla.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function PoliciesTab() {
  const { t } = useTranslation();
  const pols = usePolicies().data?.items ?? [];
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<Policy | "new" | null>(null);
  const hours = (s: TargetSpec | null) =>
    s
      ? `${s.minutes / 60} h${s.goalMinutes !== null ? ` (${t("sla.goal")} ${s.goalMinutes / 60} h)` : ""}${s.business ? ` · ${t("sla.pol.business")}` : ""}`
      : "—";
  if (editing)
    return <PolicyForm policy={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />;
  return (
    <Stack>
      <Group>
        <Button onClick={() => setEditing("new")}>{t("sla.pol.new")}</Button>
      </Group>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("sla.pol.name")}</Table.Th>
            <Table.Th>{t("sla.pol.conditions")}</Table.Th>
            <Table.Th>{t("sla.target.firstResponse")}</Table.Th>
            <Table.Th>{t("sla.target.nextResponse")}</Table.Th>
            <Table.Th>{t("sla.target.resolution")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pols.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                {p.name} {p.isDefault && <Badge size="xs">{t("sla.default")}</Badge>}
                {!p.active && (
                  <Badge size="xs" color="gray">
                    {t("sla.inactive")}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {p.conditions
                  .map(
                    (c) =>
                      `${c.field} ${t(`sla.op.${c.op}`)} ${Array.isArray(c.value) ? c.value.join(", ") : c.value}`,
                  )
                  .join("; ") || "—"}
              </Table.Td>
              <Table.Td>{hours(p.targets.firstResponse)}</Table.Td>
              <Table.Td>{hours(p.targets.nextResponse)}</Table.Td>
              <Table.Td>{hours(p.targets.resolution)}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  <Button size="compact-sm" variant="light" onClick={() => setEditing(p)}>
                    {t("sla.edit")}
                  </Button>
                  {!p.isDefault && (
                    <Button
                      size="compact-sm"
                      color="red"
                      variant="subtle"
                      onClick={() => remove.mutate(p.id)}
                    >
                      {t("sla.delete")}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Admin → SLA: business-hours calendars and SLA policies. */
export default function SlaAdmin() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>("policies");
  return (
    <Tabs value={tab} onChange={setTab} variant="pills" keepMounted={false}>
      <Tabs.List mb="md">
        <Tabs.Tab value="policies">{t("sla.policies")}</Tabs.Tab>
        <Tabs.Tab value="calendars">{t("sla.calendars")}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="policies">
        <PoliciesTab />
      </Tabs.Panel>
      <Tabs.Panel value="calendars">
        <CalendarsTab />
      </Tabs.Panel>
    </Tabs>
  );
}
