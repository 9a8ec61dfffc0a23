import {
  Anchor,
  Button,
  Card,
  CheckIcon,
  Group,
  Progress,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import type { GettingStartedStep } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import { formatNumber } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { useDismissGettingStarted, useGettingStarted } from "./api.ts";

/** Where each step is done: an admin tab, or the public form for the test ticket. */
const WHERE: Record<GettingStartedStep, string> = {
  mailbox: "/admin/email",
  agents: "/admin/users",
  hours: "/admin/sla",
  widget: "/admin/chat",
  webForm: "/admin/forms",
  contacts: "/admin/imports",
  testTicket: "/support/new",
};

/**
 * The new organization's checklist (/getting-started, admins): each step is ticked by the
 * server from the data it is about, so it ticks itself when the admin comes back from doing it.
 */
export function GettingStartedPage() {
  // Not an admin-only route: right after setup the route list is built before the new admin's
  // session is known, and an unknown path would redirect to the inbox.
  const me = useMe().data;
  if (!me) return null;
  return me.user.role === "admin" ? <Checklist me={me} /> : <Navigate to="/inbox/mine" replace />;
}

function Checklist({ me }: { me: Me }) {
  const { t } = useTranslation();
  const list = useGettingStarted(me);
  const dismiss = useDismissGettingStarted();
  const data = list.data;
  if (!data) return null;
  const done = data.steps.filter((s) => s.done).length;
  const total = data.steps.length;
  return (
    <Stack maw={760} p="md" gap="md">
      <Title order={1} size="h2">
        {t("onboarding.title")}
      </Title>
      <Text>{t("onboarding.intro")}</Text>
      <Stack gap={4}>
        <Text size="sm" fw={600} id="onboarding-progress">
          {t("onboarding.progressLong", { done: formatNumber(done), total: formatNumber(total) })}
        </Text>
        {/* The bar's role sits on its section: the name goes there. */}
        <Progress.Root>
          <Progress.Section value={(done / total) * 100} aria-labelledby="onboarding-progress" />
        </Progress.Root>
      </Stack>
      <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {data.steps.map((s) => (
          <Card
            key={s.key}
            component="li"
            withBorder
            padding="sm"
            data-testid={`step-${s.key}`}
            data-done={s.done}
          >
            {/* The link goes under the text when both do not fit (a phone, a long Tamil label). */}
            <Group wrap="wrap" align="flex-start" gap="sm">
              <ThemeIcon
                radius="xl"
                size="md"
                color={s.done ? "teal" : "gray"}
                variant={s.done ? "filled" : "light"}
                aria-hidden
              >
                {s.done ? <CheckIcon size={12} /> : null}
              </ThemeIcon>
              <Stack gap={2} style={{ flex: "1 1 14rem", minWidth: 0 }}>
                <Text fw={600}>
                  {t(`onboarding.step.${s.key}`)}
                  <Text span size="sm" c={s.done ? "teal.9" : undefined} fw={400} ml="xs">
                    {s.done ? t("onboarding.done") : t("onboarding.todo")}
                  </Text>
                </Text>
                <Text size="sm" c="dimmed">
                  {t(`onboarding.help.${s.key}`)}
                </Text>
              </Stack>
              {s.key === "testTicket" ? (
                <Anchor href={WHERE[s.key]} target="_blank" rel="noopener" size="sm">
                  {t("onboarding.go.testTicket")}
                </Anchor>
              ) : (
                <Anchor component={Link} to={WHERE[s.key]} size="sm">
                  {t(`onboarding.go.${s.key}`)}
                </Anchor>
              )}
            </Group>
          </Card>
        ))}
      </Stack>
      <Group>
        <Button variant="default" onClick={() => void list.refetch()} loading={list.isFetching}>
          {t("onboarding.check")}
        </Button>
        <Button
          variant="subtle"
          onClick={() => dismiss.mutate(!data.dismissed)}
          loading={dismiss.isPending}
          data-testid="onboarding-dismiss"
        >
          {data.dismissed ? t("onboarding.restore") : t("onboarding.dismiss")}
        </Button>
      </Group>
      {data.dismissed && (
        <Text size="sm" c="dimmed" role="status">
          {t("onboarding.dismissed")}
        </Text>
      )}
    </Stack>
  );
}
