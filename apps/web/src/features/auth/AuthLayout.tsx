import { Anchor, Center, Group, Paper, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { LanguagePicker } from "../../components/LanguagePicker.tsx";

/** Centered card for the signed-out screens. */
export function AuthLayout({
  title,
  children,
  wide,
}: {
  title: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={wide ? 560 : 420} gap="md">
        <Group justify="space-between">
          <Anchor href="/" fw={700} fz="xl" underline="never" c="indigo.8">
            Rapport
          </Anchor>
          <LanguagePicker />
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Title order={1} size="h2" mb="md">
            {title}
          </Title>
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}
