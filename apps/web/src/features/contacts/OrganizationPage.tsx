import {
  Alert,
  Anchor,
  Button,
  Grid,
  Loader,
  Paper,
  Select,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { get, patch } from "../../lib/api.ts";
import type { Contact, Page, User } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { type Organization, useFields } from "../fields/api.ts";
import { CustomFieldsForm, patchRaw } from "../fields/CustomFieldsForm.tsx";

function OrgForm({ org }: { org: Organization }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => get<User[]>("/users") });
  const [draft, setDraft] = useState({
    name: org.name,
    domains: org.domains,
    address: org.address,
    notes: org.notes,
    tags: org.tags,
    accountOwnerId: org.accountOwnerId,
  });
  const save = useMutation({
    mutationFn: () => patch<Organization>(`/organizations/${org.id}`, draft),
    onSuccess: (o) => qc.setQueryData(["organization", org.id], o),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="org-profile">
      <Stack gap="sm">
        <Title order={2} size="h5" id="org-profile">
          {t("fields.org.profile")}
        </Title>
        <TextInput
          label={t("fields.list.name")}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
        />
        <TagsInput
          label={t("fields.org.domains")}
          description={t("fields.org.domainsHelp")}
          value={draft.domains}
          onChange={(domains) => setDraft({ ...draft, domains })}
        />
        <Select
          label={t("fields.org.owner")}
          clearable
          clearButtonProps={{ "aria-label": t("fields.clear") }}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={draft.accountOwnerId}
          onChange={(accountOwnerId) => setDraft({ ...draft, accountOwnerId })}
        />
        <Textarea
          label={t("fields.org.address")}
          autosize
          minRows={2}
          value={draft.address}
          onChange={(e) => setDraft({ ...draft, address: e.currentTarget.value })}
        />
        <Textarea
          label={t("fields.org.notes")}
          autosize
          minRows={3}
          value={draft.notes}
          onChange={(e) => setDraft({ ...draft, notes: e.currentTarget.value })}
        />
        <TagsInput
          label={t("fields.org.tags")}
          value={draft.tags}
          onChange={(tags) => setDraft({ ...draft, tags })}
        />
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Button onClick={() => save.mutate()} loading={save.isPending} w="fit-content">
          {t("fields.save")}
        </Button>
      </Stack>
    </Paper>
  );
}

/** /organizations/:id: a company's profile, custom fields and people. */
export function OrganizationPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const me = useMe();
  const qc = useQueryClient();
  const org = useQuery({
    queryKey: ["organization", id],
    queryFn: () => get<Organization>(`/organizations/${id}`),
  });
  const people = useQuery({
    queryKey: ["contacts", { organizationId: id }],
    queryFn: () => get<Page<Contact>>(`/contacts?organizationId=${id}&limit=200`),
  });
  const fields = useFields("organization");
  if (org.isLoading) return <Loader m="xl" />;
  if (!org.data)
    return (
      <Alert m="md" color="red">
        {t("fields.org.notFound")}
      </Alert>
    );
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        {org.data.name}
      </Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <OrgForm key={org.data.updatedAt} org={org.data} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack>
            <Paper withBorder p="md" component="section" aria-labelledby="org-fields">
              <Title order={2} size="h5" id="org-fields" mb="xs">
                {t("fields.panelTitle")}
              </Title>
              <CustomFieldsForm
                key={JSON.stringify(org.data.customFields)}
                fields={fields.data ?? []}
                values={org.data.customFields}
                save={async (changed) => {
                  const res = await patchRaw(
                    `/organizations/${id}`,
                    { customFields: changed },
                    me.data?.csrfToken ?? null,
                  );
                  if (res.ok) qc.setQueryData(["organization", id], await res.clone().json());
                  return res;
                }}
              />
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="org-people">
              <Title order={2} size="h5" id="org-people" mb="xs">
                {t("fields.org.contacts")}
              </Title>
              <Stack gap={4}>
                {(people.data?.items ?? []).map((c) => (
                  <Anchor key={c.id} component={Link} to={`/contacts/${c.id}`}>
                    {c.name || c.emails[0]?.email}
                  </Anchor>
                ))}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
