import "@mantine/core/styles.css";
import "./app.css";
import { Badge, type CSSVariablesResolver, createTheme, Drawer, MantineProvider, Modal } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, StrictMode, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router";
import { App } from "./App.tsx";
import { BootstrapPartsContext } from "./features/auth/session.ts";
import { contributions } from "./features/extensions.ts";
import { initialLocale, setLocale } from "./i18n/index.ts";
import { ApiError } from "./lib/api.ts";

/** The features' start-up parts, primed from GET /bootstrap (features/auth/session.ts). */
const BOOTSTRAP_PARTS = contributions("bootstrap");

/** System fonts first, then the Khmer and Tamil faces Debian ships (fonts-khmeros, fonts-noto-core). */
const fontFamily = [
  "system-ui",
  "-apple-system",
  '"Segoe UI"',
  "Roboto",
  '"Noto Sans"',
  '"Helvetica Neue"',
  "Arial",
  '"Noto Sans Khmer"',
  '"Khmer OS"',
  '"Khmer OS System"',
  '"Noto Sans Tamil"',
  '"Noto Sans Tamil UI"',
  '"Latha"',
  "sans-serif",
].join(", ");

const baseTheme = createTheme({
  fontFamily,
  headings: { fontFamily },
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  focusRing: "auto",
  // Transitions off for people who ask their system for less motion.
  respectReducedMotion: true,
  components: {
    // Tinted badges keep near-black text: coloured text on a tint of itself fails WCAG AA.
    Badge: Badge.extend({
      vars: (_theme, props) =>
        props.variant === "light"
          ? { root: { "--badge-color": "var(--rapport-light-badge-color)" } }
          : { root: {} },
    }),
  },
});

/**
 * The theme in the current language: every dialog's and drawer's close button is named ("Close", "Đóng",
 * "បិទ", "மூடு") for screen readers, whichever dialog forgets to say so itself.
 */
function Theme({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(
    () =>
      createTheme({
        ...baseTheme,
        components: {
          ...baseTheme.components,
          Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": t("common.close") } } }),
          Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { "aria-label": t("common.close") } } }),
        },
      }),
    [t],
  );
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      {children}
    </MantineProvider>
  );
}

/**
 * Secondary text with WCAG AA contrast in both schemes: darker than Mantine's gray-6 on white,
 * lighter than its dark-2 on the dark body. The scheme follows the operating system unless the
 * agent picks light or dark in the account menu (kept in localStorage by Mantine).
 */
const cssVariablesResolver: CSSVariablesResolver = (th) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": th.colors.gray[7] ?? "#495057",
    "--mantine-color-placeholder": th.colors.gray[7] ?? "#495057",
    "--rapport-light-badge-color": th.black,
  },
  dark: {
    "--mantine-color-dimmed": th.colors.dark[1] ?? "#b8b8b8",
    "--mantine-color-placeholder": th.colors.dark[1] ?? "#b8b8b8",
    "--rapport-light-badge-color": th.white,
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});

void setLocale(initialLocale()).finally(() => {
  const root = document.getElementById("root");
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <Theme>
        <QueryClientProvider client={queryClient}>
          <BootstrapPartsContext.Provider value={BOOTSTRAP_PARTS}>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </BootstrapPartsContext.Provider>
        </QueryClientProvider>
      </Theme>
    </StrictMode>,
  );
});
