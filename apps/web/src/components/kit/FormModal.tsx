import { Alert, Button, Group, Modal, type ModalProps, Stack } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Common = {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  size?: ModalProps["size"];
  /** The failed mutation's message, shown as an alert above the buttons. */
  error?: string | null | false;
  pending?: boolean;
  submitLabel: ReactNode;
  /** The submit button's colour (red for a deletion). */
  color?: string;
};

/**
 * A dialog around one form: the fields, the error, then Cancel and the submit button. Full screen
 * on a phone (below 48em), so long Tamil labels and the keyboard leave the buttons reachable.
 */
export function FormModal({
  onSubmit,
  children,
  testId,
  ...p
}: Common & { onSubmit: (e: FormEvent<HTMLFormElement>) => void; children: ReactNode; testId?: string }) {
  return (
    <KitModal {...p}>
      <form onSubmit={onSubmit} data-testid={testId}>
        <Stack gap="sm">
          {children}
          <Footer {...p} submit />
        </Stack>
      </form>
    </KitModal>
  );
}

/** A yes/no dialog (delete, revoke): a sentence, the error, Cancel and the action. */
export function ConfirmModal({
  onConfirm,
  children,
  ...p
}: Common & { onConfirm: () => void; children: ReactNode }) {
  return (
    <KitModal {...p}>
      <Stack>
        {children}
        <Footer {...p} onConfirm={onConfirm} />
      </Stack>
    </KitModal>
  );
}

function KitModal({ opened, onClose, title, size, children }: Common & { children: ReactNode }) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size={size}
      fullScreen={phone}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      {children}
    </Modal>
  );
}

function Footer({
  onClose,
  error,
  pending,
  submitLabel,
  color,
  submit,
  onConfirm,
}: Common & { submit?: boolean; onConfirm?: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button type={submit ? "submit" : "button"} color={color} loading={pending} onClick={onConfirm}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
