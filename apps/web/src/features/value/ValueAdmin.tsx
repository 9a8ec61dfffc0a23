import { Alert, Button, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from "@mantine/core";
import type {
  CreateTier,
  RemindersRun,
  Tier,
  TierList,
  UpdateValueSettings,
  ValueSettings,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { DataTable, FormCard } from "../../components/kit/index.ts";
import { get, patch, post } from "../../lib/api.ts";
import { formatNumber } from "../../lib/format.ts";
import { TierBadge } from "./TierBadge.tsx";

const MODES = ["planner", "email", "off"] as const;
const COLORS = ["gray", "yellow", "orange", "grape", "blue", "teal", "dark", "red"] as const;

/**
 * Admin → Customer value: the reminder before a regular customer lapses (mode, lead days, the
 * offer) and the loyalty tiers (list and add). The server answers 403 to anyone but admins.
 */
export function ValueAdmin() {
  return (
    <Stack gap="lg" data-testid="value-admin">
      <ReminderSettings />
      <Tiers />
    </Stack>
  );
}

function ReminderSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data } = useQuery({
    queryKey: ["value", "settings"],
    queryFn: () => get<ValueSettings>("/value/settings"),
  });
  const [mode, setMode] = useState<string>("planner");
  const [lead, setLead] = useState<number>(7);
  const [offer, setOffer] = useState("");
  useEffect(() => {
    if (!data) return;
    setMode(data.reminderMode);
    setLead(data.reminderLeadDays);
    setOffer(data.reminderOffer);
  }, [data]);
  const save = useMutation({
    mutationFn: () =>
      patch<ValueSettings>("/value/settings", {
        reminderMode: mode as UpdateValueSettings["reminderMode"],
        reminderLeadDays: lead,
        reminderOffer: offer,
      }),
    onSuccess: (s) => qc.setQueryData(["value", "settings"], s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const run = useMutation({
    mutationFn: () => post<RemindersRun>("/value/reminders/run"),
  });
  return (
    <FormCard
      title={t("value.admin.reminders")}
      onSubmit={submit}
      error={save.isError && (save.error as Error).message}
    >
      <Stack gap="sm" maw={560}>
        <Text size="sm" c="dimmed">
          {t("value.admin.remindersHelp")}
        </Text>
        <Select
          label={t("value.admin.mode")}
          data={MODES.map((m) => ({ value: m, label: t(`value.admin.mode.${m}`) }))}
          value={mode}
          onChange={(v) => v && setMode(v)}
          allowDeselect={false}
        />
        <NumberInput
          label={t("value.admin.leadDays")}
          min={0}
          max={365}
          value={lead}
          onChange={(v) => setLead(typeof v === "number" ? v : Number(v) || 0)}
        />
        <Textarea
          label={t("value.admin.offer")}
          maxLength={2000}
          autosize
          minRows={2}
          value={offer}
          onChange={(e) => setOffer(e.currentTarget.value)}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("value.admin.save")}
          </Button>
          {save.isSuccess && (
            <Text size="sm" role="status" data-testid="reminders-saved">
              {t("value.admin.saved")}
            </Text>
          )}
        </Group>
        <Group>
          <Button variant="default" loading={run.isPending} onClick={() => run.mutate()}>
            {t("value.admin.runReminders")}
          </Button>
          {run.data && (
            <Text size="sm" role="status" data-testid="reminders-ran">
              {t("value.admin.ranReminders", { filed: formatNumber(run.data.filed) })}
            </Text>
          )}
          {run.isError && (
            <Text size="sm" c="red.9" role="alert">
              {(run.error as Error).message}
            </Text>
          )}
        </Group>
      </Stack>
    </FormCard>
  );
}

const EMPTY_TIER = { name: "", rank: 1, minPoints: 0, discountPercent: 0, benefits: "", color: "yellow" };

function Tiers() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data } = useQuery({
    queryKey: ["loyalty", "tiers"],
    queryFn: () => get<TierList>("/loyalty/tiers"),
  });
  const [v, setV] = useState(EMPTY_TIER);
  const add = useMutation({
    mutationFn: () => post<Tier>("/loyalty/tiers", { ...v, color: v.color as CreateTier["color"] }),
    onSuccess: () => {
      setV(EMPTY_TIER);
      qc.invalidateQueries({ queryKey: ["loyalty", "tiers"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Stack gap="sm">
      <FormCard
        title={t("value.admin.addTier")}
        onSubmit={submit}
        error={add.isError && (add.error as Error).message}
      >
        <Stack gap="sm" maw={560}>
          <Group grow align="flex-start">
            <TextInput
              label={t("value.admin.tierName")}
              required
              maxLength={60}
              value={v.name}
              onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
            />
            <Select
              label={t("value.admin.tierColor")}
              data={COLORS.map((c) => ({ value: c, label: t(`value.admin.color.${c}`) }))}
              value={v.color}
              onChange={(c) => c && setV({ ...v, color: c })}
              allowDeselect={false}
            />
          </Group>
          <Group grow align="flex-start">
            <NumberInput
              label={t("value.admin.tierRank")}
              min={0}
              max={1000}
              value={v.rank}
              onChange={(n) => setV({ ...v, rank: Number(n) || 0 })}
            />
            <NumberInput
              label={t("value.admin.tierMinPoints")}
              min={0}
              value={v.minPoints}
              onChange={(n) => setV({ ...v, minPoints: Number(n) || 0 })}
            />
            <NumberInput
              label={t("value.admin.tierDiscount")}
              min={0}
              max={100}
              value={v.discountPercent}
              onChange={(n) => setV({ ...v, discountPercent: Number(n) || 0 })}
            />
          </Group>
          <TextInput
            label={t("value.admin.tierBenefits")}
            maxLength={2000}
            value={v.benefits}
            onChange={(e) => setV({ ...v, benefits: e.currentTarget.value })}
          />
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t("value.admin.addTierButton")}
            </Button>
          </Group>
        </Stack>
      </FormCard>
      {data && data.items.length === 0 ? (
        <Alert>{t("value.admin.noTiers")}</Alert>
      ) : (
        <DataTable
          label={t("value.admin.tiers")}
          testId="tier-table"
          rows={data?.items ?? []}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ "data-tier": r.name })}
          columns={[
            { key: "name", header: t("value.admin.tierName"), cell: (r) => <TierBadge tier={r} /> },
            { key: "rank", header: t("value.admin.tierRank"), cell: (r) => formatNumber(r.rank) },
            {
              key: "min",
              header: t("value.admin.tierMinPoints"),
              cell: (r) => (r.minPoints == null ? "—" : formatNumber(r.minPoints)),
            },
            {
              key: "discount",
              header: t("value.admin.tierDiscount"),
              cell: (r) => `${formatNumber(r.discountPercent)}%`,
            },
            { key: "benefits", header: t("value.admin.tierBenefits"), cell: (r) => r.benefits, maw: 280 },
          ]}
        />
      )}
    </Stack>
  );
}
