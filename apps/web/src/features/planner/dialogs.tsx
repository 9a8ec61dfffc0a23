import {
  Badge,
  Button,
  Group,
  Modal,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get } from "../../lib/api.ts";

/** Every IANA zone the browser knows, for a planned time in the customer's zone. */
const TIME_ZONES: string[] =
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];

import {
  type Cadence,
  type CompleteInput,
  dayLabel,
  localToday,
  PLANNER_CHANNELS,
  type PlannedContact,
  type PlannerChannel,
  type QuickChoice,
  useComplete,
  usePlan,
} from "./api.ts";

export function ChannelSelect({
  value,
  onChange,
  label,
}: {
  value: PlannerChannel;
  onChange: (v: PlannerChannel) => void;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      value={value}
      allowDeselect={false}
      onChange={(v) => v && onChange(v as PlannerChannel)}
      data={PLANNER_CHANNELS.map((c) => ({ value: c, label: t(`planner.channel.${c}`) }))}
    />
  );
}

export function ChannelBadge({ channel }: { channel: string }) {
  const { t } = useTranslation();
  const known = (PLANNER_CHANNELS as readonly string[]).includes(channel);
  return (
    <Badge variant="light" color="gray" size="sm">
      {known ? t(`planner.channel.${channel}`) : channel}
    </Badge>
  );
}

export function errorText(t: (k: string) => string, err: unknown) {
  if (err instanceof ApiError && err.status === 400 && err.message)
    return `${t("common.error")} ${err.message}`;
  return t("common.error");
}

type NextKind = QuickChoice["kind"] | "cadence";

/**
 * "Done, next contact on…": logs the outcome and files the next contact in one step.
 * Quick choices: tomorrow, in a week, in a month, on a date, no further contact, or the
 * client's cadence when one is set.
 */
export function CompleteDialog({
  item,
  opened,
  onClose,
  hasCadence = false,
}: {
  item: PlannedContact | null;
  opened: boolean;
  onClose: () => void;
  hasCadence?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const complete = useComplete();
  // The client's cadence (asked once the dialog opens) offers "by the cadence" as the next date.
  const cadence = useQuery({
    queryKey: ["dossier", item?.contact.id, "cadence"],
    queryFn: () => get<Cadence>(`/contacts/${item?.contact.id}/cadence`),
    enabled: opened && !!item && !hasCadence,
  });
  const withCadence = hasCadence || !!cadence.data;
  const [status, setStatus] = useState<"done" | "missed">("done");
  const [outcome, setOutcome] = useState("");
  const [kind, setKind] = useState<NextKind>(hasCadence ? "cadence" : "in_a_week");
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const [purpose, setPurpose] = useState("");
  const [channel, setChannel] = useState<PlannerChannel>((item?.channel as PlannerChannel) ?? "phone");
  const [result, setResult] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (cadence.data && !touched) setKind("cadence");
  }, [cadence.data, touched]);

  function reset() {
    setStatus("done");
    setOutcome("");
    setKind(hasCadence ? "cadence" : "in_a_week");
    setDate("");
    setTime("");
    setPurpose("");
    setResult(null);
    complete.reset();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!item) return;
    const input: CompleteInput = { outcome, status };
    if (kind !== "cadence") input.next = kind === "on_date" ? { kind, date } : { kind };
    if (kind !== "none") {
      if (time) input.nextTime = time;
      if (purpose.trim()) input.nextPurpose = purpose.trim();
      input.nextChannel = channel;
    }
    complete.mutate(
      { id: item.id, input },
      {
        onSuccess: (r) => {
          setResult(
            r.next
              ? t("planner.complete.nextFiled", { date: dayLabel(r.next.date, i18n.language) })
              : t("planner.complete.noNext"),
          );
          setTimeout(() => {
            reset();
            onClose();
          }, 900);
        },
      },
    );
  }

  const choices: { value: NextKind; label: string }[] = [
    ...(withCadence ? [{ value: "cadence" as const, label: t("planner.next.cadence") }] : []),
    { value: "tomorrow", label: t("planner.next.tomorrow") },
    { value: "in_a_week", label: t("planner.next.inAWeek") },
    { value: "in_a_month", label: t("planner.next.inAMonth") },
    { value: "on_date", label: t("planner.next.onDate") },
    { value: "none", label: t("planner.next.none") },
  ];

  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title={item ? t("planner.complete.title", { name: item.contact.name }) : ""}
      size="lg"
    >
      <form onSubmit={submit} aria-label={t("planner.complete.form")}>
        <Stack gap="sm">
          {item?.purpose && (
            <Text size="sm">
              <Text span fw={600}>
                {t("planner.purpose")}:
              </Text>{" "}
              {item.purpose}
            </Text>
          )}
          {item?.notes && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
              {t("planner.lastNotes")}: {item.notes}
            </Text>
          )}
          <SegmentedControl
            value={status}
            onChange={(v) => setStatus(v as "done" | "missed")}
            aria-label={t("planner.complete.result")}
            data={[
              { value: "done", label: t("planner.complete.done") },
              { value: "missed", label: t("planner.complete.notReached") },
            ]}
          />
          <Textarea
            label={t("planner.complete.outcome")}
            value={outcome}
            onChange={(e) => setOutcome(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={10_000}
            data-autofocus
          />
          <Radio.Group
            label={t("planner.complete.nextContact")}
            value={kind}
            onChange={(v) => {
              setTouched(true);
              setKind(v as NextKind);
            }}
          >
            <Group gap="md" mt={6}>
              {choices.map((c) => (
                <Radio key={c.value} value={c.value} label={c.label} />
              ))}
            </Group>
          </Radio.Group>
          {kind === "on_date" && (
            <TextInput
              type="date"
              label={t("planner.date")}
              value={date}
              min={localToday()}
              onChange={(e) => setDate(e.currentTarget.value)}
              required
            />
          )}
          {kind !== "none" && (
            <Group grow align="flex-start">
              <TextInput
                type="time"
                label={t("planner.timeOptional")}
                value={time}
                onChange={(e) => setTime(e.currentTarget.value)}
              />
              <ChannelSelect label={t("planner.channelLabel")} value={channel} onChange={setChannel} />
              <TextInput
                label={t("planner.nextPurpose")}
                value={purpose}
                maxLength={500}
                onChange={(e) => setPurpose(e.currentTarget.value)}
              />
            </Group>
          )}
          {complete.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(t, complete.error)}
            </Text>
          )}
          {result && (
            <Text c="teal.9" size="sm" role="status">
              {result}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={complete.isPending} disabled={kind === "on_date" && !date}>
              {status === "done" ? t("planner.complete.submitDone") : t("planner.complete.submitMissed")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Plan a contact with a client (from the dossier). Managers may plan for another agent. */
export function PlanDialog({
  contactId,
  contactName,
  opened,
  onClose,
  owners,
}: {
  contactId: string;
  contactName: string;
  opened: boolean;
  onClose: () => void;
  /** Managers: the agents they may plan for (null: the actor plans for themselves). */
  owners: { value: string; label: string }[] | null;
}) {
  const { t } = useTranslation();
  const plan = usePlan();
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [channel, setChannel] = useState<PlannerChannel>("phone");
  const [purpose, setPurpose] = useState("");
  const [notes, setNotes] = useState("");
  const [ownerId, setOwnerId] = useState<string | null>(null);

  function close() {
    setDate("");
    setTime("");
    setPurpose("");
    setNotes("");
    plan.reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    plan.mutate(
      {
        contactId,
        date,
        time: time || undefined,
        timeZone: time && timeZone ? timeZone : undefined,
        channel,
        purpose: purpose.trim(),
        notes: notes.trim(),
        ownerId: ownerId ?? undefined,
      },
      { onSuccess: close },
    );
  }

  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={close}
      title={t("planner.plan.title", { name: contactName })}
    >
      <form onSubmit={submit} aria-label={t("planner.plan.title", { name: contactName })}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t("planner.date")}
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              required
              data-autofocus
            />
            <TextInput
              type="time"
              label={t("planner.timeOptional")}
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
            />
          </Group>
          {time && (
            <Select
              label={t("planner.timeZone")}
              description={t("planner.timeZoneHelp")}
              placeholder={t("planner.timeZoneOwner")}
              data={TIME_ZONES}
              value={timeZone}
              onChange={setTimeZone}
              searchable
              clearable
              limit={50}
            />
          )}
          <ChannelSelect label={t("planner.channelLabel")} value={channel} onChange={setChannel} />
          <TextInput
            label={t("planner.purpose")}
            value={purpose}
            maxLength={500}
            onChange={(e) => setPurpose(e.currentTarget.value)}
          />
          <Textarea
            label={t("planner.notes")}
            value={notes}
            maxLength={10_000}
            autosize
            minRows={2}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          {owners && (
            <Select
              label={t("planner.owner")}
              placeholder={t("planner.ownerMe")}
              data={owners}
              value={ownerId}
              onChange={setOwnerId}
              clearable
              searchable
            />
          )}
          {plan.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(t, plan.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={plan.isPending} disabled={!date}>
              {t("planner.plan.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
