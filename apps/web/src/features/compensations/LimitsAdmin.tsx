import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { LOYALTY_POINTS_KIND, POINTS_CURRENCY } from "@rapport/shared";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";
import { type ApprovalConfig, type LimitRule, useApprovalConfig, useSaveConfig } from "./api.ts";

const STEPS = ["team_lead", "manager", "admin"] as const;
const ROLES = ["admin", "manager", "agent"] as const;
type Draft = Omit<ApprovalConfig, "mine" | "canEdit">;

/** Admin section: approval chain, escalation, unlimited roles, team leads, kinds and limits. */
export default function LimitsAdmin() {
  const { t } = useTranslation();
  const config = useApprovalConfig();
  const save = useSaveConfig();
  const teams = useTeams();
  const users = useUsers();
  const [d, setD] = useState<Draft | null>(null);
  useEffect(() => {
    if (config.data && !d) {
      const { mine: _m, canEdit: _c, ...rest } = config.data;
      setD(rest);
    }
  }, [config.data, d]);
  if (!d) return null;
  const set = (p: Partial<Draft>) => setD({ ...d, ...p });
  const setRule = (i: number, p: Partial<LimitRule>) =>
    set({ limits: d.limits.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const scopeOptions = (r: LimitRule) =>
    r.scope === "role"
      ? ROLES.map((x) => ({ value: x, label: t(`compensations.role.${x}`) }))
      : r.scope === "team"
        ? (teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))
        : (users.data ?? []).map((x) => ({ value: x.id, label: x.name }));
  const minor = (v: number | string) => (v === "" ? null : Number(v));
  return (
    <Stack gap="md" data-testid="limits-admin">
      <Title order={3}>{t("compensations.limitsTitle")}</Title>
      <Group gap="lg" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t("compensations.chain")}
          </Text>
          <Group gap="xs">
            {STEPS.map((s) => (
              <Checkbox
                key={s}
                label={t(`compensations.step.${s}`)}
                checked={d.chain.includes(s)}
                onChange={(e) =>
                  set({
                    chain: STEPS.filter((x) => (x === s ? e.currentTarget.checked : d.chain.includes(x))),
                  })
                }
              />
            ))}
          </Group>
        </Stack>
        <NumberInput
          label={t("compensations.escalateAfter")}
          min={5}
          value={d.escalateAfterMinutes}
          onChange={(v) => set({ escalateAfterMinutes: Number(v) || 5 })}
          w={200}
        />
        <NumberInput
          label={t("compensations.promiseDue")}
          min={1}
          value={d.promiseDueHours}
          onChange={(v) => set({ promiseDueHours: Number(v) || 1 })}
          w={200}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t("compensations.unlimitedRoles")}
          </Text>
          <Group gap="xs">
            {ROLES.map((r) => (
              <Checkbox
                key={r}
                label={t(`compensations.role.${r}`)}
                checked={d.unlimitedRoles.includes(r)}
                onChange={(e) =>
                  set({
                    unlimitedRoles: e.currentTarget.checked
                      ? [...d.unlimitedRoles, r]
                      : d.unlimitedRoles.filter((x) => x !== r),
                  })
                }
              />
            ))}
          </Group>
        </Stack>
      </Group>

      <Title order={4}>{t("compensations.teamLeads")}</Title>
      {(teams.data ?? []).map((team) => (
        <NativeSelect
          key={team.id}
          label={team.name}
          value={d.teamLeads.find((l) => l.teamId === team.id)?.userId ?? ""}
          onChange={(e) => {
            const userId = e.currentTarget.value;
            const rest = d.teamLeads.filter((l) => l.teamId !== team.id);
            set({ teamLeads: userId ? [...rest, { teamId: team.id, userId }] : rest });
          }}
          data={[
            { value: "", label: "—" },
            ...(users.data ?? [])
              .filter((u) => u.active && u.teamIds.includes(team.id))
              .map((u) => ({ value: u.id, label: u.name })),
          ]}
          maw={360}
        />
      ))}

      <Title order={4}>{t("compensations.kinds")}</Title>
      <Group gap="xs" wrap="wrap">
        {d.kinds.map((k, i) => (
          <Checkbox
            key={k.key}
            label={k.builtin ? t(`compensations.kind.${k.key}`) : k.label}
            checked={k.active}
            onChange={(e) =>
              set({ kinds: d.kinds.map((x, j) => (j === i ? { ...x, active: e.currentTarget.checked } : x)) })
            }
          />
        ))}
        <AddKind
          onAdd={(key, label) => set({ kinds: [...d.kinds, { key, label, active: true, builtin: false }] })}
        />
      </Group>

      <Title order={4}>{t("compensations.limits")}</Title>
      <Table.ScrollContainer minWidth={900}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("compensations.scope")}</Table.Th>
              <Table.Th>{t("compensations.who")}</Table.Th>
              <Table.Th>{t("compensations.kindLabel")}</Table.Th>
              <Table.Th>{t("compensations.currency")}</Table.Th>
              <Table.Th>{t("compensations.perCase")}</Table.Th>
              <Table.Th>{t("compensations.perMonth")}</Table.Th>
              <Table.Th>{t("compensations.unlimitedShort")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.limits.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved
              <Table.Tr key={i}>
                <Table.Td>
                  <NativeSelect
                    aria-label={t("compensations.scope")}
                    value={r.scope}
                    onChange={(e) =>
                      setRule(i, { scope: e.currentTarget.value as LimitRule["scope"], scopeId: "" })
                    }
                    data={(["role", "team", "user"] as const).map((s) => ({
                      value: s,
                      label: t(`compensations.scopes.${s}`),
                    }))}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={t("compensations.who")}
                    value={r.scopeId}
                    onChange={(e) => setRule(i, { scopeId: e.currentTarget.value })}
                    data={[{ value: "", label: "—" }, ...scopeOptions(r)]}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={t("compensations.kindLabel")}
                    value={r.kind}
                    onChange={(e) => {
                      const kind = e.currentTarget.value;
                      // Loyalty points are limited in points (PTS), and PTS only for them.
                      const currency =
                        kind === LOYALTY_POINTS_KIND
                          ? POINTS_CURRENCY
                          : r.currency === POINTS_CURRENCY
                            ? "USD"
                            : r.currency;
                      setRule(i, { kind, currency });
                    }}
                    data={[
                      { value: "*", label: t("compensations.allKinds") },
                      ...d.kinds.map((k) => ({
                        value: k.key,
                        label: k.builtin ? t(`compensations.kind.${k.key}`) : k.label,
                      })),
                    ]}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={t("compensations.currency")}
                    value={r.currency}
                    maxLength={3}
                    w={80}
                    onChange={(e) => setRule(i, { currency: e.currentTarget.value.toUpperCase() })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t("compensations.perCase")}
                    min={0}
                    value={r.perCaseMinor ?? ""}
                    onChange={(v) => setRule(i, { perCaseMinor: minor(v) })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={t("compensations.perMonth")}
                    min={0}
                    value={r.perMonthMinor ?? ""}
                    onChange={(v) => setRule(i, { perMonthMinor: minor(v) })}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={t("compensations.unlimitedShort")}
                    checked={r.unlimited}
                    onChange={(e) => setRule(i, { unlimited: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t("compensations.removeRule")}
                    onClick={() => set({ limits: d.limits.filter((_, j) => j !== i) })}
                  >
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t("compensations.minorHint")}
      </Text>
      <Group>
        <Button
          variant="light"
          onClick={() =>
            set({
              limits: [
                ...d.limits,
                {
                  scope: "role",
                  scopeId: "agent",
                  kind: "*",
                  currency: "USD",
                  perCaseMinor: 0,
                  perMonthMinor: 0,
                  unlimited: false,
                },
              ],
            })
          }
        >
          {t("compensations.addRule")}
        </Button>
        <Button loading={save.isPending} onClick={() => save.mutate(d)}>
          {t("compensations.save")}
        </Button>
      </Group>
      {save.error && (
        <Alert color="red">{save.error instanceof ApiError ? save.error.message : String(save.error)}</Alert>
      )}
      {save.isSuccess && <Alert color="green">{t("compensations.saved")}</Alert>}
    </Stack>
  );
}

function AddKind({ onAdd }: { onAdd: (key: string, label: string) => void }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState("");
  const key = label
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return (
    <Group gap={4}>
      <TextInput
        aria-label={t("compensations.newKind")}
        placeholder={t("compensations.newKind")}
        value={label}
        onChange={(e) => setLabel(e.currentTarget.value)}
        size="xs"
      />
      <Button
        size="xs"
        variant="subtle"
        disabled={!/^[a-z][a-z0-9_]{1,39}$/.test(key)}
        onClick={() => {
          onAdd(key, label.trim());
          setLabel("");
        }}
      >
        {t("compensations.addKind")}
      </Button>
    </Group>
  );
}
