import { Alert, Button, NativeSelect, Paper, Stack, TextInput } from "@mantine/core";
import { canonicalTimeZone, LOCALES } from "@rapport/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES } from "../../i18n/index.ts";
import { get, patch } from "../../lib/api.ts";
import type { Settings } from "../../lib/types.ts";
import { timeZones } from "../auth/SetupPage.tsx";
import { meKey } from "../auth/session.ts";

export function SettingsPanel() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ["settings"], queryFn: () => get<Settings>("/settings") });
  const save = useMutation({
    mutationFn: (b: Partial<Settings>) => patch<Settings>("/settings", b),
    onSuccess: (s) => {
      qc.setQueryData(["settings"], s);
      void qc.invalidateQueries({ queryKey: meKey });
    },
  });
  const s = settings.data;
  if (!s) return null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      name: String(f.get("name")),
      timeZone: String(f.get("timeZone")),
      defaultLanguage: String(f.get("defaultLanguage")) as Settings["defaultLanguage"],
    });
  }

  return (
    <Paper withBorder p="md" maw={520}>
      <form onSubmit={submit}>
        <Stack>
          {save.isSuccess && (
            <Alert color="green" role="status">
              {t("common.saved")}
            </Alert>
          )}
          {save.isError && (
            <Alert color="red" role="alert">
              {t("common.error")}
            </Alert>
          )}
          <TextInput name="name" label={t("setup.orgName")} defaultValue={s.name} required maxLength={200} />
          <NativeSelect
            name="timeZone"
            label={t("setup.timeZone")}
            defaultValue={canonicalTimeZone(s.timeZone) ?? s.timeZone}
            data={timeZones()}
          />
          <NativeSelect
            name="defaultLanguage"
            label={t("setup.defaultLanguage")}
            defaultValue={s.defaultLanguage}
            data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
          />
          <Button type="submit" w="fit-content" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
