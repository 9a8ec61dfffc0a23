import { Paper, Skeleton, Text } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * One figure on a statistics page (the reports dashboard, the knowledge base's stats): a small
 * heading, the figure in large type (a skeleton while it loads) and any details below. The card is
 * a labelled region when its heading is plain text, so a screen reader can jump between figures.
 */
export function StatCard({
  label,
  value,
  loading,
  lang,
  testId,
  children,
}: {
  label: ReactNode;
  value?: ReactNode;
  loading?: boolean;
  /** The heading's language when it differs from the UI's (a language's own name). */
  lang?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={typeof label === "string" ? label : undefined}
      data-testid={testId}
    >
      <Text size="xs" c="dimmed" fw={600} lh={1.3} lang={lang}>
        {label}
      </Text>
      {value !== undefined &&
        (loading ? (
          <Skeleton height={28} mt={6} />
        ) : (
          <Text fz={22} fw={700} data-testid="value">
            {value}
          </Text>
        ))}
      {children}
    </Paper>
  );
}
