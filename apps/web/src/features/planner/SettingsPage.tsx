import {
  Alert,
  Button,
  Center,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import type { IcalToken } from "@rapport/server/contract";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { del, patch, post } from "../../lib/api.ts";
import { usePublicAddress } from "../../lib/publicAddress.ts";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { AgentPicker, seesAllPlans, usePlanOwner } from "./AgentPicker.tsx";
import { type PlannerSettings, usePlannerInvalidate, useSettings } from "./api.ts";
import { errorText } from "./dialogs.tsx";
import { PlannerTabs } from "./PlannerTabs.tsx";

/** Monday first; values are JavaScript weekdays (0 = Sunday). */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

function weekdayName(day: number, locale: string) {
  // 2023-01-01 was a Sunday.
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2023, 0, 1 + day)),
  );
}

function CapacityForm({ settings, userId }: { settings: PlannerSettings; userId?: string }) {
  const { t, i18n } = useTranslation();
  const invalidate = usePlannerInvalidate();
  const [capacity, setCapacity] = useState<number>(settings.capacityPerDay);
  const [days, setDays] = useState<string[]>(settings.workDays.map(String));
  const [reminder, setReminder] = useState(settings.reminderEmail);
  const save = useMutation({
    mutationFn: () =>
      patch<PlannerSettings>(`/planner/settings${userId ? `?userId=${userId}` : ""}`, {
        capacityPerDay: capacity,
        workDays: days.map(Number),
        reminderEmail: reminder,
      }),
    onSuccess: invalidate,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="capacity-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="capacity-title">
          {t("planner.settings.capacityTitle")}
        </Title>
        <NumberInput
          label={t("planner.settings.capacity")}
          description={t("planner.settings.capacityHelp")}
          value={capacity}
          min={0}
          max={500}
          onChange={(v) => setCapacity(typeof v === "number" ? v : Number(v) || 0)}
          w={240}
        />
        <Checkbox.Group label={t("planner.settings.workDays")} value={days} onChange={setDays}>
          <Group gap="md" mt={6}>
            {WEEK.map((d) => (
              <Checkbox key={d} value={String(d)} label={weekdayName(d, i18n.language)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label={t("planner.settings.reminderEmail")}
          checked={reminder}
          onChange={(e) => setReminder(e.currentTarget.checked)}
        />
        <Text size="xs" c="dimmed">
          {t("planner.settings.timeZone", { zone: settings.timeZone })}
        </Text>
        {save.isError && (
          <Text c="red" size="sm" role="alert">
            {errorText(t, save.error)}
          </Text>
        )}
        {save.isSuccess && (
          <Text c="teal.9" size="sm" role="status">
            {t("common.saved")}
          </Text>
        )}
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function CalendarFeed({ settings }: { settings: PlannerSettings }) {
  const { t } = useTranslation();
  const invalidate = usePlannerInvalidate();
  const [url, setUrl] = useState<string | null>(null);
  const { publicUrl } = usePublicAddress();
  const rotate = useMutation({
    mutationFn: () => post<IcalToken>("/planner/ical-token"),
    onSuccess: (r) => {
      setUrl(`${publicUrl}${r.path}`);
      return invalidate();
    },
  });
  const revoke = useMutation({
    mutationFn: () => del<void>("/planner/ical-token"),
    onSuccess: () => {
      setUrl(null);
      return invalidate();
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="feed-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="feed-title">
          {t("planner.feed.title")}
        </Title>
        <Text size="sm">{t("planner.feed.explain")}</Text>
        <Text size="sm" data-testid="feed-state">
          {settings.icalFeed ? t("planner.feed.active") : t("planner.feed.inactive")}
        </Text>
        {url && (
          <Alert color="indigo" variant="light" title={t("planner.feed.onceTitle")}>
            <Stack gap="xs">
              <Text size="sm">{t("planner.feed.once")}</Text>
              <Code block data-testid="feed-url">
                {url}
              </Code>
              <CopyButton value={url}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy} w="fit-content">
                    {copied ? t("planner.feed.copied") : t("planner.feed.copy")}
                  </Button>
                )}
              </CopyButton>
            </Stack>
          </Alert>
        )}
        {(rotate.isError || revoke.isError) && (
          <Text c="red" size="sm" role="alert">
            {t("common.error")}
          </Text>
        )}
        <Group>
          <Button onClick={() => rotate.mutate()} loading={rotate.isPending}>
            {settings.icalFeed ? t("planner.feed.regenerate") : t("planner.feed.create")}
          </Button>
          {settings.icalFeed && (
            <Button color="red.9" variant="filled" onClick={() => revoke.mutate()} loading={revoke.isPending}>
              {t("planner.feed.revoke")}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function Settings({ me }: { me: Me }) {
  const { t } = useTranslation();
  const owner = usePlanOwner(me);
  // Covering agents see their own settings; managers may open anyone's.
  const userId = owner.covering ? undefined : owner.userId;
  const settings = useSettings(userId);
  return (
    <Stack p="md" gap="md" maw={900}>
      <PlannerTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t("planner.settings.title")}
        </Title>
        {seesAllPlans(me) && <AgentPicker me={me} />}
      </Group>
      {settings.isPending && (
        <Center p="md">
          <Loader aria-label={t("common.loading")} />
        </Center>
      )}
      {settings.isError && (
        <Alert color="red" role="alert">
          {t("planner.loadError")}
        </Alert>
      )}
      {settings.data && (
        <>
          <CapacityForm key={userId ?? "me"} settings={settings.data} userId={userId} />
          {!userId && <CalendarFeed settings={settings.data} />}
        </>
      )}
    </Stack>
  );
}

export function SettingsPage() {
  const me = useMe();
  return me.data ? <Settings me={me.data} /> : null;
}
