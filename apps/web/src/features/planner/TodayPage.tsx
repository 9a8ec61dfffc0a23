import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { AgentPicker, usePlanOwner } from "./AgentPicker.tsx";
import { dayLabel, type PlannedContact, useToday, useUsers } from "./api.ts";
import { ChannelBadge, CompleteDialog } from "./dialogs.tsx";
import { MorningPlan } from "./MorningPlan.tsx";
import { PlannerTabs } from "./PlannerTabs.tsx";

function TodayItem({
  item,
  ownerName,
  onComplete,
}: {
  item: PlannedContact;
  ownerName: string | null;
  onComplete: () => void;
}) {
  const { t, i18n } = useTranslation();
  // On a phone the button goes under the text, full width, so neither squeezes the other.
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  return (
    <Card
      withBorder
      padding="sm"
      component="li"
      data-testid="today-item"
      data-missed={item.missed}
      style={item.missed ? { borderLeft: "4px solid var(--mantine-color-red-7)" } : undefined}
    >
      <Group
        justify="space-between"
        wrap={phone ? "wrap" : "nowrap"}
        align="flex-start"
        gap={phone ? "xs" : "md"}
      >
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Anchor component={Link} to={`/contacts/${item.contact.id}`} fw={600}>
              {item.contact.name || "—"}
            </Anchor>
            <ChannelBadge channel={item.channel} />
            {item.time && (
              <Badge variant="outline" color="indigo" size="sm">
                {item.time}
              </Badge>
            )}
            {item.missed && (
              <Badge color="red" size="sm" data-testid="missed-badge">
                {t("planner.missedSince", { date: dayLabel(item.date, i18n.language) })}
              </Badge>
            )}
            {item.covering && (
              <Badge color="grape" variant="light" size="sm" data-testid="covering-badge">
                {t("planner.coveringFor", { name: ownerName ?? "…" })}
              </Badge>
            )}
          </Group>
          {item.purpose && <Text size="sm">{item.purpose}</Text>}
          {item.notes && (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {t("planner.lastNotes")}: {item.notes}
            </Text>
          )}
        </Stack>
        <Button
          size="xs"
          className={phone ? "today-done-phone" : undefined}
          onClick={onComplete}
          aria-label={t("planner.completeFor", { name: item.contact.name })}
        >
          {t("planner.complete.button")}
        </Button>
      </Group>
    </Card>
  );
}

function Today({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const owner = usePlanOwner(me);
  const today = useToday(owner.userId);
  const users = useUsers();
  const [completing, setCompleting] = useState<PlannedContact | null>(null);
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const items = today.data?.items ?? [];
  const missed = items.filter((i) => i.missed);
  const due = items.filter((i) => !i.missed);

  const list = (rows: PlannedContact[]) => (
    <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {rows.map((item) => (
        <TodayItem
          key={item.id}
          item={item}
          ownerName={names.get(item.ownerId) ?? null}
          onComplete={() => setCompleting(item)}
        />
      ))}
    </Stack>
  );

  return (
    <Stack p="md" gap="md" maw={900}>
      <PlannerTabs />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {t("planner.today.title")}
          </Title>
          {today.data && (
            <Text c="dimmed" size="sm" data-testid="today-summary">
              {dayLabel(today.data.date, i18n.language, { dateStyle: "full" })} ·{" "}
              {t("planner.today.summary", { count: items.length, capacity: today.data.capacity })}
            </Text>
          )}
        </div>
        <AgentPicker me={me} />
      </Group>
      {!owner.userId && <MorningPlan />}
      {today.isPending && (
        <Center p="xl">
          <Loader aria-label={t("common.loading")} />
        </Center>
      )}
      {today.isError && (
        <Alert color="red" role="alert" title={t("common.error")}>
          {t("planner.loadError")}
        </Alert>
      )}
      {today.data && items.length === 0 && (
        <Alert color="green" variant="light" data-testid="today-empty">
          {t("planner.today.empty")}
        </Alert>
      )}
      {missed.length > 0 && (
        <section aria-labelledby="missed-heading">
          <Title order={2} size="h4" id="missed-heading" c="red.9" mb="xs">
            {t("planner.today.missed", { count: missed.length })}
          </Title>
          {list(missed)}
        </section>
      )}
      {due.length > 0 && (
        <section aria-labelledby="due-heading">
          <Title order={2} size="h4" id="due-heading" mb="xs">
            {t("planner.today.due", { count: due.length })}
          </Title>
          {list(due)}
        </section>
      )}
      <CompleteDialog
        key={completing?.id ?? "none"}
        item={completing}
        opened={completing !== null}
        onClose={() => setCompleting(null)}
      />
    </Stack>
  );
}

export function TodayPage() {
  const me = useMe();
  return me.data ? <Today me={me.data} /> : null;
}
