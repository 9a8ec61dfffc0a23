import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { TicketStatus } from "@rapport/shared";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../../lib/api.ts";
import { formatDate, formatLanguage, formatNumber, formatTimeZone } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { contributions } from "../extensions.ts";
import { StatusBadge } from "../inbox/labels.tsx";
import { seesAllPlans } from "../planner/AgentPicker.tsx";
import { dayLabel, type PlannedContact, useCancelPlanned, useUsers } from "../planner/api.ts";
import { ChannelBadge, CompleteDialog, PlanDialog } from "../planner/dialogs.tsx";
import { CadenceEditor, NewTicketDialog, NoteForm } from "./actions.tsx";
import { useDossier } from "./api.ts";
import { Timeline } from "./Timeline.tsx";

const PANELS = contributions("dossierPanels");

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="xl" align="flex-start" data-testid="not-found">
      <Title order={1} size="h3">
        {t("common.notFoundTitle")}
      </Title>
      <Text>{t("common.notFound")}</Text>
      <Anchor component={Link} to="/inbox/mine">
        {t("common.backToInbox")}
      </Anchor>
    </Stack>
  );
}
const ACTIONS = contributions("dossierActions");

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = `dossier-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={2} size="h5" id={id} mb={6}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700}>{value}</Text>
    </Stack>
  );
}

function PlannedLine({ p, empty }: { p: PlannedContact | null; empty: string }) {
  const { t, i18n } = useTranslation();
  if (!p)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <Text size="sm" fw={600}>
          {dayLabel(p.date, i18n.language, { dateStyle: "full" })}
          {p.time ? ` ${p.time}` : ""}
        </Text>
        <ChannelBadge channel={p.channel} />
        {p.missed && (
          <Badge color="red" size="sm">
            {t("planner.missed")}
          </Badge>
        )}
      </Group>
      {p.purpose && <Text size="sm">{p.purpose}</Text>}
      {p.outcome && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
          {p.outcome}
        </Text>
      )}
    </Stack>
  );
}

function DossierView({ id, me }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const dossier = useDossier(id);
  const users = useUsers();
  const cancel = useCancelPlanned();
  const [dialog, setDialog] = useState<null | "note" | "plan" | "ticket" | "complete">(null);
  // Below Mantine's md breakpoint: one column, what the agent acts on first, the timeline a tab.
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));

  if (dossier.isPending)
    return (
      <Center p="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  if (dossier.isError) {
    if (dossier.error instanceof ApiError && dossier.error.status === 404) return <NotFound />;
    return (
      <Alert color="red" role="alert" m="md" title={t("common.error")}>
        {t("dossier.loadError")}
      </Alert>
    );
  }
  const d = dossier.data;
  const c = d.contact;
  if (c.id) names.set(c.id, c.name);
  const owners = seesAllPlans(me)
    ? (users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))
    : null;
  const statuses = Object.entries(d.figures.tickets.byStatus);

  const profile = (
    <Section title={t("dossier.profile")}>
      <Stack gap={4}>
        <Text size="sm">
          {t("common.language")}: {formatLanguage(c.language)}
        </Text>
        <Text size="sm">
          {t("dossier.timeZone")}: {formatTimeZone(c.timeZone)}
        </Text>
        <Text size="sm">
          {t("dossier.customerSince")}: {formatDate(c.createdAt)}
        </Text>
        {c.notes && (
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {c.notes}
          </Text>
        )}
      </Stack>
    </Section>
  );
  const organization = (
    <Section title={t("contact.organization")} testId="dossier-organization">
      {d.organization ? (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {d.organization.name}
          </Text>
          {d.organization.domains.length > 0 && (
            <Text size="xs" c="dimmed">
              {d.organization.domains.join(", ")}
            </Text>
          )}
          <Group gap={4}>
            {d.organization.tags.map((tag) => (
              <Badge key={tag} variant="outline" size="xs">
                {tag}
              </Badge>
            ))}
          </Group>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t("dossier.noOrganization")}
        </Text>
      )}
      <Text size="sm" mt={6} data-testid="account-owner">
        {t("dossier.accountOwner")}: {d.accountOwner?.name ?? "—"}
      </Text>
    </Section>
  );
  const figures = (
    <Section title={t("dossier.figures")} testId="dossier-figures">
      <SimpleGrid cols={2} spacing="xs">
        <Figure label={t("dossier.ticketsTotal")} value={formatNumber(d.figures.tickets.total)} />
        <Figure label={t("dossier.openTickets")} value={formatNumber(d.openTickets.length)} />
        <Figure label={t("dossier.firstContact")} value={formatDate(d.figures.firstContactAt) || "—"} />
        <Figure label={t("dossier.lastContactAt")} value={formatDate(d.figures.lastContactAt) || "—"} />
      </SimpleGrid>
      {statuses.length > 0 && (
        <Group gap={6} mt={6}>
          {statuses.map(([s, n]) => (
            <Group key={s} gap={2}>
              <StatusBadge status={s as TicketStatus} />
              <Text size="xs">{formatNumber(n)}</Text>
            </Group>
          ))}
        </Group>
      )}
    </Section>
  );
  const nextContact = (
    <Section title={t("dossier.nextContact")} testId="next-contact">
      <PlannedLine p={d.nextContact} empty={t("dossier.noNextContact")} />
      {d.nextContact && d.nextContact.status === "planned" && (
        <Group gap="xs" mt={6} className={phone ? "wrap-buttons" : undefined}>
          <Button size="xs" variant="light" onClick={() => setDialog("complete")}>
            {t("planner.complete.button")}
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={cancel.isPending}
            onClick={() => d.nextContact && cancel.mutate(d.nextContact.id)}
          >
            {t("planner.cancelContact")}
          </Button>
        </Group>
      )}
      {cancel.isError && (
        <Text c="red" size="xs" role="alert">
          {t("common.error")}
        </Text>
      )}
    </Section>
  );
  const lastContact = (
    <Section title={t("dossier.lastContact")} testId="last-contact">
      <PlannedLine p={d.lastContact} empty={t("dossier.noLastContact")} />
    </Section>
  );
  const cadence = (
    <Section title={t("dossier.cadence.title")} testId="cadence">
      <CadenceEditor key={JSON.stringify(d.cadence)} contactId={id} cadence={d.cadence} />
    </Section>
  );
  const openTickets = (
    <Section title={t("dossier.openTickets")} testId="open-tickets">
      {d.openTickets.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("dossier.noOpenTickets")}
        </Text>
      ) : (
        <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: "none" }}>
          {d.openTickets.map((tk) =>
            phone ? (
              // A phone: the subject on up to two lines, a tap target the row's width.
              <Stack key={tk.id} component="li" gap={2}>
                <Anchor component={Link} to={`/tickets/${tk.id}`} size="sm" lineClamp={2} py={4}>
                  #{tk.number} {tk.subject}
                </Anchor>
                <Group gap="xs">
                  <StatusBadge status={tk.status} />
                  <Text size="xs" c="dimmed">
                    {formatDate(tk.updatedAt)}
                  </Text>
                </Group>
              </Stack>
            ) : (
              <Group key={tk.id} component="li" gap="xs" wrap="nowrap">
                <StatusBadge status={tk.status} />
                <Anchor component={Link} to={`/tickets/${tk.id}`} size="sm" lineClamp={1}>
                  #{tk.number} {tk.subject}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {formatDate(tk.updatedAt)}
                </Text>
              </Group>
            ),
          )}
        </Stack>
      )}
    </Section>
  );
  const panels = PANELS.map((Panel, i) => <Panel key={i} contactId={id} me={me} />);
  const timeline = <Timeline contactId={id} contactName={c.name} names={names} />;

  return (
    <Stack p="md" gap="md" data-testid="dossier-layout" data-layout={phone ? "phone" : "wide"}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2" data-testid="dossier-name">
            {c.name || "—"}
          </Title>
          <Group gap="xs">
            {c.emails.map((e) => (
              <Anchor key={e.email} href={`mailto:${e.email}`} size="sm">
                {e.email}
              </Anchor>
            ))}
            {c.phones.map((p) => (
              <Anchor key={p.phone} href={`tel:${p.phone}`} size="sm">
                {p.phone}
              </Anchor>
            ))}
          </Group>
          <Group gap={4}>
            {d.tags.map((tag) => (
              <Badge key={tag} variant="light" size="sm">
                {tag}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Group
          gap="xs"
          role="group"
          aria-label={t("dossier.quickActions")}
          className={phone ? "dossier-actions-phone" : undefined}
        >
          <Button variant="light" onClick={() => setDialog("note")}>
            {t("dossier.action.note")}
          </Button>
          <Button onClick={() => setDialog("plan")}>{t("dossier.action.plan")}</Button>
          <Button variant="light" onClick={() => setDialog("ticket")}>
            {t("dossier.action.ticket")}
          </Button>
          {ACTIONS.map((Action, i) => (
            <Action key={i} contactId={id} me={me} />
          ))}
          <Button variant="subtle" component={Link} to={`/contacts/${id}/duplicates`}>
            {t("dossier.action.duplicates")}
          </Button>
        </Group>
      </Group>

      {phone ? (
        <Tabs defaultValue="overview" keepMounted={false}>
          <Tabs.List grow>
            <Tabs.Tab value="overview">{t("dossier.overview")}</Tabs.Tab>
            <Tabs.Tab value="timeline">{t("dossier.timeline")}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview" pt="md">
            <Stack gap="md">
              {nextContact}
              {openTickets}
              {profile}
              {organization}
              {figures}
              {lastContact}
              {cadence}
              {panels}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="timeline" pt="md">
            {timeline}
          </Tabs.Panel>
        </Tabs>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="md">
              {profile}
              {organization}
              {figures}
              {nextContact}
              {lastContact}
              {cadence}
              {panels}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              {openTickets}
              {timeline}
            </Stack>
          </Grid.Col>
        </Grid>
      )}

      <Modal
        closeButtonProps={{ "aria-label": t("common.close") }}
        opened={dialog === "note"}
        onClose={() => setDialog(null)}
        title={t("dossier.action.note")}
      >
        <NoteForm contactId={id} onDone={() => setDialog(null)} />
      </Modal>
      <PlanDialog
        contactId={id}
        contactName={c.name}
        opened={dialog === "plan"}
        onClose={() => setDialog(null)}
        owners={owners}
      />
      <NewTicketDialog contactId={id} opened={dialog === "ticket"} onClose={() => setDialog(null)} />
      {d.nextContact && (
        <CompleteDialog
          key={d.nextContact.id}
          item={d.nextContact}
          hasCadence={d.cadence !== null}
          opened={dialog === "complete"}
          onClose={() => setDialog(null)}
        />
      )}
    </Stack>
  );
}

export function DossierPage() {
  const { id = "" } = useParams();
  const me = useMe();
  if (!/^[0-9a-f-]{36}$/i.test(id)) return <NotFound />;
  return me.data ? <DossierView key={id} id={id} me={me.data} /> : null;
}
