import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from "@mantine/core";
import type { RecognitionSettings } from "@rapport/server/contract";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useTeams } from "../teams/api.ts";
import { useRecognitionSettings, useSaveRecognitionSettings } from "./api.ts";

const WEIGHTS = ["csat", "firstResponse", "resolution", "promises", "reopened"] as const;

/** Recognition per team (administrators): on/off, public board, weights, minimum solved. */
export function RecognitionAdmin() {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const [teamId, setTeamId] = useState<string | null>(null);
  const current = teamId ?? teams[0]?.id ?? null;
  const q = useRecognitionSettings(current);
  const save = useSaveRecognitionSettings(current);
  const [draft, setDraft] = useState<RecognitionSettings | null>(null);
  useEffect(() => setDraft(q.data ?? null), [q.data]);
  return (
    <Stack gap="md" maw={720}>
      <Title order={3}>{t("recognition.admin.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("recognition.admin.intro")}
      </Text>
      <Select
        label={t("recognition.team")}
        data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
        value={current}
        onChange={setTeamId}
        allowDeselect={false}
      />
      {q.error && <Alert color="red">{q.error.message}</Alert>}
      {draft && (
        <>
          <Switch
            label={t("recognition.admin.enabled")}
            checked={draft.enabled}
            onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })}
          />
          <Switch
            label={t("recognition.admin.publicBoard")}
            description={t("recognition.admin.publicBoardHint")}
            checked={draft.publicBoard}
            onChange={(e) => setDraft({ ...draft, publicBoard: e.currentTarget.checked })}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {WEIGHTS.map((k) => (
              <NumberInput
                key={k}
                label={t(`recognition.admin.weight.${k}`)}
                min={0}
                max={100}
                value={draft.weights[k]}
                onChange={(v) => setDraft({ ...draft, weights: { ...draft.weights, [k]: Number(v) || 0 } })}
              />
            ))}
            <NumberInput
              label={t("recognition.admin.minSolved")}
              min={0}
              max={1000}
              value={draft.minSolved}
              onChange={(v) => setDraft({ ...draft, minSolved: Number(v) || 0 })}
            />
          </SimpleGrid>
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          <Group>
            <Button
              loading={save.isPending}
              onClick={() =>
                save.mutate({
                  enabled: draft.enabled,
                  publicBoard: draft.publicBoard,
                  weights: draft.weights,
                  minSolved: draft.minSolved,
                })
              }
            >
              {t("recognition.admin.save")}
            </Button>
            {save.isSuccess && <Text size="sm">{t("recognition.admin.saved")}</Text>}
          </Group>
        </>
      )}
    </Stack>
  );
}
