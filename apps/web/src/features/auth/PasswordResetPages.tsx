import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ApiError, post } from "../../lib/api.ts";
import { AuthLayout } from "./AuthLayout.tsx";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(false);
    try {
      await post("/auth/forgot-password", { email: new FormData(e.currentTarget).get("email") });
      setSent(true);
    } catch {
      setError(true);
    }
  }

  return (
    <AuthLayout title={t("auth.forgotTitle")}>
      {sent ? (
        <Alert color="green" role="status">
          {t("auth.forgotSent")}
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">{t("auth.forgotHelp")}</Text>
            {error && (
              <Alert color="red" role="alert">
                {t("common.error")}
              </Alert>
            )}
            <TextInput name="email" type="email" label={t("auth.email")} required />
            <Button type="submit">{t("auth.sendResetLink")}</Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm" mt="md" display="block">
        {t("auth.backToSignIn")}
      </Anchor>
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get("password"));
    if (password !== f.get("confirm")) return setError(t("auth.passwordsDiffer"));
    try {
      await post("/auth/reset-password", { token: params.get("token") ?? "", password });
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 400 ? t("auth.resetInvalid") : t("common.error"));
    }
  }

  return (
    <AuthLayout title={t("auth.resetTitle")}>
      {done ? (
        <Alert color="green" role="status">
          {t("auth.resetDone")}
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              name="password"
              label={t("auth.newPassword")}
              description={t("auth.passwordRule")}
              minLength={10}
              autoComplete="new-password"
              required
            />
            <PasswordInput
              name="confirm"
              label={t("auth.confirmPassword")}
              autoComplete="new-password"
              required
            />
            <Button type="submit">{t("auth.setPassword")}</Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm" mt="md" display="block">
        {t("auth.backToSignIn")}
      </Anchor>
    </AuthLayout>
  );
}
