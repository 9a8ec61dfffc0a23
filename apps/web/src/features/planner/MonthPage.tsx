import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { type DragEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { AgentPicker, usePlanOwner } from "./AgentPicker.tsx";
import {
  type BoardDay,
  dayLabel,
  monthLabel,
  type PlannedContact,
  useBoard,
  useItems,
  useMove,
  useSpread,
} from "./api.ts";
import { errorText } from "./dialogs.tsx";
import { PlannerTabs } from "./PlannerTabs.tsx";

const DRAG_TYPE = "application/x-rapport-planned";

function weekdayNames(locale: string) {
  // 2023-01-02 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(
      new Date(Date.UTC(2023, 0, 2 + i)),
    ),
  );
}

/** Monday-first column of a calendar date. */
const column = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return (new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay() + 6) % 7;
};

function Card({
  item,
  selected,
  onSelect,
  draggedIds,
}: {
  item: PlannedContact;
  selected: boolean;
  onSelect: (on: boolean) => void;
  draggedIds: () => string[];
}) {
  const { t } = useTranslation();
  const movable = item.status === "planned";
  return (
    <Paper
      withBorder
      px={6}
      py={2}
      radius="sm"
      component="li"
      draggable={movable}
      data-testid="board-card"
      data-contact={item.contact.name}
      data-id={item.id}
      onDragStart={(e: DragEvent) => {
        const ids = selected ? draggedIds() : [item.id];
        e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(ids));
        e.dataTransfer.setData("text/plain", item.contact.name);
        e.dataTransfer.effectAllowed = "move";
      }}
      bg={item.status === "done" ? "gray.1" : selected ? "indigo.0" : undefined}
      style={{ cursor: movable ? "grab" : "default", listStyle: "none" }}
    >
      <Group gap={4} wrap="nowrap">
        {movable && (
          <Checkbox
            size="xs"
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            aria-label={t("planner.month.select", { name: item.contact.name })}
          />
        )}
        <Anchor
          component={Link}
          to={`/contacts/${item.contact.id}`}
          size="xs"
          c={item.status === "done" ? "dimmed" : undefined}
          td={item.status === "done" ? "line-through" : undefined}
          lineClamp={1}
          title={item.contact.name}
          draggable={false}
        >
          {item.time ? `${item.time} ` : ""}
          {item.contact.name || "—"}
        </Anchor>
        {item.covering && (
          <Badge size="xs" color="grape" variant="light">
            {t("planner.month.covered")}
          </Badge>
        )}
      </Group>
    </Paper>
  );
}

function DayCell({
  day,
  today,
  items,
  selected,
  setSelected,
  onDropIds,
  onSpread,
  spreading,
}: {
  day: BoardDay;
  today: string;
  items: PlannedContact[];
  selected: Set<string>;
  setSelected: (ids: Set<string>) => void;
  onDropIds: (ids: string[], date: string) => void;
  onSpread: ((date: string) => void) | null;
  spreading: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [over, setOver] = useState(false);
  const past = day.date < today;
  const load = day.planned + day.done;
  return (
    <Paper
      withBorder
      p={6}
      radius="sm"
      role="group"
      aria-label={t("planner.month.dayLabel", {
        date: dayLabel(day.date, i18n.language, { dateStyle: "full" }),
        count: load,
        capacity: day.capacity,
      })}
      data-testid={`day-${day.date}`}
      data-overloaded={day.overloaded}
      data-count={day.planned}
      onDragOver={(e: DragEvent) => {
        if (past || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        setOver(false);
        const raw = e.dataTransfer.getData(DRAG_TYPE);
        if (!raw || past) return;
        e.preventDefault();
        const ids = JSON.parse(raw) as string[];
        onDropIds(ids, day.date);
      }}
      style={{
        minHeight: 120,
        gridColumn: day.day === 1 ? column(day.date) + 1 : undefined,
        outline: over ? "2px dashed var(--mantine-color-indigo-6)" : undefined,
        background: day.overloaded
          ? "var(--mantine-color-red-0)"
          : day.absent
            ? "var(--mantine-color-gray-1)"
            : day.date === today
              ? "var(--mantine-color-indigo-0)"
              : undefined,
        opacity: past ? 0.75 : 1,
      }}
    >
      <Group justify="space-between" gap={2} wrap="nowrap">
        <Text fw={700} size="sm" aria-hidden>
          {day.day}
        </Text>
        <Badge
          size="sm"
          variant={day.overloaded ? "filled" : "light"}
          color={day.overloaded ? "red.9" : "gray"}
          title={t("planner.month.countTitle")}
          aria-hidden
        >
          {load}/{day.capacity}
        </Badge>
      </Group>
      {day.overloaded && (
        <Group gap={4} justify="space-between">
          <Text size="xs" c="red.9" fw={600}>
            {t("planner.month.overloaded")}
          </Text>
          {!past && onSpread && (
            <Button
              size="compact-xs"
              variant="filled"
              color="red.9"
              loading={spreading}
              onClick={() => onSpread(day.date)}
              aria-label={t("planner.month.spreadDay", {
                date: dayLabel(day.date, i18n.language),
              })}
            >
              {t("planner.month.spread")}
            </Button>
          )}
        </Group>
      )}
      {day.absent && (
        <Text size="xs" c="dimmed">
          {t("planner.month.absent")}
        </Text>
      )}
      <ScrollArea.Autosize mah={160} mt={4}>
        <Stack gap={2} component="ul" m={0} p={0}>
          {items.map((item) => (
            <Card
              key={item.id}
              item={item}
              selected={selected.has(item.id)}
              draggedIds={() => [...selected]}
              onSelect={(on) => {
                const next = new Set(selected);
                if (on) next.add(item.id);
                else next.delete(item.id);
                setSelected(next);
              }}
            />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}

function Month({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const owner = usePlanOwner(me);
  const [params, setParams] = useSearchParams();
  const month = params.get("month") ?? undefined;
  const current = useBoard(owner.userId, undefined);
  const viewing = useBoard(owner.userId, month);
  const board = month ? viewing : current;
  const first = board.data?.days[0]?.date;
  const last = board.data?.days.at(-1)?.date;
  const items = useItems(owner.userId, first, last);
  const move = useMove();
  const spread = useSpread();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [moveTo, setMoveTo] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  const byDay = useMemo(() => {
    const m = new Map<string, PlannedContact[]>();
    for (const i of items.data?.items ?? []) {
      if (i.status === "cancelled" || i.status === "missed") continue;
      m.set(i.date, [...(m.get(i.date) ?? []), i]);
    }
    return m;
  }, [items.data]);

  function setMonth(m: string | null) {
    const next = new URLSearchParams(params);
    if (!m || m === current.data?.month) next.delete("month");
    else next.set("month", m);
    setSelected(new Set());
    setParams(next, { replace: true });
  }

  function doMove(ids: string[], date: string) {
    setMessage(null);
    move.mutate(
      { ids, date },
      {
        onSuccess: (r) => {
          setSelected(new Set());
          setMessage(t("planner.month.moved", { count: r.moved, date: dayLabel(date, i18n.language) }));
        },
      },
    );
  }

  function doSpread(date: string) {
    setMessage(null);
    spread.mutate(
      { date, userId: owner.userId },
      {
        onSuccess: (r) =>
          setMessage(t("planner.month.spreadDone", { count: r.moves.length, unplaced: r.unplaced.length })),
      },
    );
  }

  const tabs = current.data ? [{ month: current.data.month, planned: -1 }, ...current.data.monthTabs] : [];
  const weekdays = weekdayNames(i18n.language);

  return (
    <Stack p="md" gap="md">
      <PlannerTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t("planner.month.title")}
          {board.data ? ` — ${monthLabel(board.data.month, i18n.language)}` : ""}
        </Title>
        <AgentPicker me={me} />
      </Group>
      {tabs.length > 0 && (
        <ScrollArea type="auto" offsetScrollbars>
          <Group gap={4} wrap="nowrap" component="nav" aria-label={t("planner.month.tabs")}>
            {tabs.map((tab, i) => {
              const active = (board.data?.month ?? "") === tab.month;
              return (
                <UnstyledButton
                  key={tab.month}
                  onClick={() => setMonth(tab.month)}
                  aria-current={active ? "true" : undefined}
                  data-testid={`month-tab-${tab.month}`}
                  px="sm"
                  py={4}
                  style={{
                    borderRadius: 6,
                    whiteSpace: "nowrap",
                    border: "1px solid var(--mantine-color-gray-4)",
                    background: active ? "var(--mantine-color-indigo-7)" : undefined,
                    color: active ? "white" : undefined,
                  }}
                >
                  <Text size="sm" span>
                    {i === 0 ? t("planner.month.thisMonth") : monthLabel(tab.month, i18n.language)}
                  </Text>
                  {tab.planned > 0 && (
                    <Text size="xs" span ml={6} fw={700}>
                      ({tab.planned})
                    </Text>
                  )}
                </UnstyledButton>
              );
            })}
          </Group>
        </ScrollArea>
      )}
      {(board.data?.overdue ?? 0) > 0 && (
        <Alert color="orange" variant="light">
          {t("planner.month.overdue", { count: board.data?.overdue ?? 0 })}{" "}
          <Anchor component={Link} to="/planner/today">
            {t("planner.nav.today")}
          </Anchor>
        </Alert>
      )}
      <Group gap="xs" align="flex-end" data-testid="bulk-bar">
        <Text size="sm" role="status">
          {t("planner.month.selected", { count: selected.size })}
        </Text>
        <TextInput
          type="date"
          size="xs"
          label={t("planner.month.moveTo")}
          value={moveTo}
          min={board.data?.today}
          onChange={(e) => setMoveTo(e.currentTarget.value)}
        />
        <Button
          size="xs"
          disabled={selected.size === 0 || !moveTo}
          loading={move.isPending}
          onClick={() => doMove([...selected], moveTo)}
        >
          {t("planner.month.moveSelected")}
        </Button>
        <Button
          size="xs"
          variant="subtle"
          disabled={selected.size === 0}
          onClick={() => setSelected(new Set())}
        >
          {t("planner.month.clearSelection")}
        </Button>
      </Group>
      {(move.isError || spread.isError) && (
        <Alert color="red" role="alert">
          {errorText(t, move.error ?? spread.error)}
        </Alert>
      )}
      {message && (
        <Text size="sm" c="teal.9" role="status" data-testid="board-message">
          {message}
        </Text>
      )}
      {(board.isPending || items.isPending) && (
        <Center p="xl">
          <Loader aria-label={t("common.loading")} />
        </Center>
      )}
      {(board.isError || items.isError) && (
        <Alert color="red" role="alert" title={t("common.error")}>
          {t("planner.loadError")}
        </Alert>
      )}
      {board.data && items.data && (
        <>
          {items.data.items.length === 0 && (
            <Text c="dimmed" size="sm" data-testid="month-empty">
              {t("planner.month.empty")}
            </Text>
          )}
          <Box style={{ display: "grid", gridTemplateColumns: "repeat(7, minmax(120px, 1fr))", gap: 6 }}>
            {weekdays.map((w) => (
              <Text key={w} size="xs" fw={700} c="dimmed" ta="center" aria-hidden>
                {w}
              </Text>
            ))}
            {board.data.days.map((day) => (
              <DayCell
                key={day.date}
                day={day}
                today={board.data?.today ?? ""}
                items={byDay.get(day.date) ?? []}
                selected={selected}
                setSelected={setSelected}
                onDropIds={doMove}
                onSpread={owner.covering ? null : doSpread}
                spreading={spread.isPending && spread.variables?.date === day.date}
              />
            ))}
          </Box>
        </>
      )}
    </Stack>
  );
}

export function MonthPage() {
  const me = useMe();
  return me.data ? <Month me={me.data} /> : null;
}
