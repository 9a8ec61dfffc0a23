import { Button, Group } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** Cursor paging: a stack of cursors, so "previous" goes back without refetching from the start. */
export function usePager() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  return {
    cursor,
    reset: () => setCursors([null]),
    next: (c: string) => setCursors((old) => [...old, c]),
    prev: cursors.length > 1 ? () => setCursors((old) => old.slice(0, -1)) : undefined,
  };
}

/** Previous / next buttons under a cursor-paged list (hidden when there is one page). */
export function Pager({
  next,
  onNext,
  onPrev,
}: {
  next: string | null;
  onNext: (c: string) => void;
  onPrev?: () => void;
}) {
  const { t } = useTranslation();
  if (!next && !onPrev) return null;
  return (
    <Group justify="flex-end">
      <Button size="xs" variant="default" disabled={!onPrev} onClick={onPrev}>
        {t("common.previous")}
      </Button>
      <Button size="xs" variant="default" disabled={!next} onClick={() => next && onNext(next)}>
        {t("common.next")}
      </Button>
    </Group>
  );
}
