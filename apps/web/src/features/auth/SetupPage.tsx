import { Alert, Button, NativeSelect, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { LOCALES, localTimeZone, timeZoneOptions } from "@rapport/shared";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { LOCALE_NAMES } from "../../i18n/index.ts";
import { ApiError, post } from "../../lib/api.ts";
import { AuthLayout } from "./AuthLayout.tsx";
import { meKey } from "./session.ts";

let zones: string[] | undefined;
/** Canonical IANA names (`Asia/Ho_Chi_Minh`, not `Asia/Saigon`), UTC first, the browser's own included. */
export function timeZones(): string[] {
  zones ??= timeZoneOptions(undefined, localTimeZone());
  return zones;
}

/** First run: creates the organization and its first admin, then signs in. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const guessZone = localTimeZone();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await post("/setup", {
        organization: {
          name: f.get("orgName"),
          timeZone: f.get("timeZone"),
          defaultLanguage: f.get("defaultLanguage"),
        },
        admin: { name: f.get("name"), email: f.get("email"), password: f.get("password") },
      });
      await qc.invalidateQueries({ queryKey: meKey });
      navigate("/getting-started");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t("common.error"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t("setup.title")} wide>
      <form onSubmit={submit}>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Title order={2} size="h4">
            {t("setup.organization")}
          </Title>
          <TextInput name="orgName" label={t("setup.orgName")} required maxLength={200} />
          <NativeSelect
            name="timeZone"
            label={t("setup.timeZone")}
            defaultValue={guessZone}
            data={timeZones()}
          />
          <NativeSelect
            name="defaultLanguage"
            label={t("setup.defaultLanguage")}
            defaultValue={i18n.language}
            data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
          />
          <Title order={2} size="h4">
            {t("setup.firstAdmin")}
          </Title>
          <TextInput name="name" label={t("common.name")} required autoComplete="name" />
          <TextInput name="email" type="email" label={t("auth.email")} required autoComplete="username" />
          <PasswordInput
            name="password"
            label={t("auth.password")}
            description={t("auth.passwordRule")}
            minLength={10}
            required
            autoComplete="new-password"
          />
          <Button type="submit" loading={busy}>
            {t("setup.submit")}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
