import { Alert, Paper, Title } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";

/** The "create" form above an admin table: a bordered card with its heading, the form and its error. */
export function FormCard({
  title,
  onSubmit,
  error,
  children,
  after,
}: {
  title: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  error?: string | null | false;
  children: ReactNode;
  /** Below the form (a secret shown once). */
  after?: ReactNode;
}) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <form onSubmit={onSubmit}>
        {children}
        {error && (
          <Alert color="red" role="alert" mt="sm">
            {error}
          </Alert>
        )}
      </form>
      {after}
    </Paper>
  );
}
