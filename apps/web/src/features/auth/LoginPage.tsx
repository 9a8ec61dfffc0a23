import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiError, post } from "../../lib/api.ts";
import { AuthLayout } from "./AuthLayout.tsx";
import { meKey } from "./session.ts";

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await post("/auth/login", { email: f.get("email"), password: f.get("password") });
      await qc.invalidateQueries({ queryKey: meKey });
      navigate("/inbox/mine");
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t("auth.tooManyAttempts")
          : err instanceof ApiError && err.status === 401
            ? t("auth.invalidCredentials")
            : t("common.error"),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t("auth.signIn")}>
      <form onSubmit={submit}>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput name="email" type="email" label={t("auth.email")} autoComplete="username" required />
          <PasswordInput
            name="password"
            label={t("auth.password")}
            autoComplete="current-password"
            required
          />
          <Button type="submit" loading={busy}>
            {t("auth.signIn")}
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("auth.forgotPassword")}
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
