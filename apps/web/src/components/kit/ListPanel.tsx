import { Alert, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A list screen's frame: a heading with its controls on the right (a filter, an "Add" button),
 * the errors of the list and its actions as alerts, then either the list or the empty text.
 */
export function ListPanel({
  title,
  controls,
  errors = [],
  empty,
  children,
}: {
  title: ReactNode;
  controls?: ReactNode;
  /** Messages to show as alerts; falsy entries are skipped. */
  errors?: readonly (string | null | undefined | false)[];
  /** Shown instead of the list when set (the list is empty). */
  empty?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {title}
        </Title>
        {controls}
      </Group>
      {errors.map(
        (e, i) =>
          e && (
            <Alert key={i} color="red" role="alert">
              {e}
            </Alert>
          ),
      )}
      {empty ? <Text c="dimmed">{empty}</Text> : children}
    </Stack>
  );
}
