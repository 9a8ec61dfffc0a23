import { Group, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useToneReport } from "./api.ts";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Acceptance as a bar with its figures: what share of flagged phrases the agents rephrased. */
function Share({ flagged, accepted, label }: { flagged: number; accepted: number; label: string }) {
  const { t, i18n } = useTranslation();
  const pct = flagged ? (100 * accepted) / flagged : 0;
  const n = new Intl.NumberFormat(i18n.language);
  return (
    <Stack gap={2}>
      <Progress value={pct} color={pct >= 60 ? "teal" : pct >= 30 ? "yellow" : "red"} aria-label={label} />
      <Text size="xs">
        {t("tone.acceptedOf", { accepted: n.format(accepted), flagged: n.format(flagged) })}
      </Text>
    </Stack>
  );
}

/** The most frequent flagged phrases per team, and whether agents took the suggestions. */
export function ToneReportPage() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const q = useToneReport(from, to);
  const n = new Intl.NumberFormat(i18n.language);
  const r = q.data;
  return (
    <Stack p="md" gap="md">
      <Title order={2}>{t("tone.reportTitle")}</Title>
      <Text size="sm" c="dimmed">
        {t("tone.reportIntro")}
      </Text>
      <Group gap="xs">
        <TextInput
          type="date"
          label={t("tone.from")}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t("tone.to")}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      {q.error && <Text c="red">{q.error.message}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t("tone.byTeam")}
          </Title>
          {(r?.teams ?? []).map((x) => (
            <Stack key={x.teamId ?? "none"} gap={2}>
              <Text size="sm">{x.teamName ?? t("tone.noTeam")}</Text>
              <Share flagged={x.flagged} accepted={x.accepted} label={x.teamName ?? t("tone.noTeam")} />
            </Stack>
          ))}
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t("tone.byCategory")}
          </Title>
          {(r?.categories ?? []).map((x) => (
            <Stack key={x.category} gap={2}>
              <Text size="sm">{t(`tone.category.${x.category}`)}</Text>
              <Share flagged={x.flagged} accepted={x.accepted} label={t(`tone.category.${x.category}`)} />
            </Stack>
          ))}
        </Stack>
      </SimpleGrid>
      <Title order={3} size="h4">
        {t("tone.topPhrases")}
      </Title>
      {r && r.phrases.length === 0 && <Text c="dimmed">{t("tone.nothing")}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="tone-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("tone.phrase")}</Table.Th>
              <Table.Th>{t("tone.categoryLabel")}</Table.Th>
              <Table.Th>{t("tone.team")}</Table.Th>
              <Table.Th>{t("tone.flagged")}</Table.Th>
              <Table.Th>{t("tone.accepted")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(r?.phrases ?? []).map((p) => (
              <Table.Tr key={`${p.ruleId}-${p.phrase}-${p.teamId}`}>
                <Table.Td lang={p.lang}>{p.phrase}</Table.Td>
                <Table.Td>{t(`tone.category.${p.category}`)}</Table.Td>
                <Table.Td>{p.teamName ?? t("tone.noTeam")}</Table.Td>
                <Table.Td>{n.format(p.flagged)}</Table.Td>
                <Table.Td miw={140}>
                  <Share flagged={p.flagged} accepted={p.accepted} label={p.phrase} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
