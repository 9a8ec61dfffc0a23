import { Center, Loader } from "@mantine/core";
import { lazy, Suspense } from "react";
import { matchPath, Navigate, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { adminHome } from "./features/admin/sections.ts";
import { LoginPage } from "./features/auth/LoginPage.tsx";
import { ForgotPasswordPage, ResetPasswordPage } from "./features/auth/PasswordResetPages.tsx";
import { useMe, useSetupState } from "./features/auth/session.ts";
import { contributions } from "./features/extensions.ts";
import { InboxPage } from "./features/inbox/InboxPage.tsx";
import { RealtimeProvider } from "./features/realtime/RealtimeProvider.tsx";

const SetupPage = lazy(() => import("./features/auth/SetupPage.tsx").then((m) => ({ default: m.SetupPage })));
const TicketPage = lazy(() =>
  import("./features/ticket/TicketPage.tsx").then((m) => ({ default: m.TicketPage })),
);
const SearchPage = lazy(() =>
  import("./features/search/SearchPage.tsx").then((m) => ({ default: m.SearchPage })),
);
const AdminPage = lazy(() =>
  import("./features/admin/AdminPage.tsx").then((m) => ({ default: m.AdminPage })),
);

const ROUTES = contributions("routes");
const PUBLIC_ROUTES = contributions("publicRoutes");
const OVERLAYS = contributions("overlays");

export function PageLoader() {
  return (
    <Center p="xl">
      <Loader aria-label="…" />
    </Center>
  );
}

/**
 * Public pages (the support form) are for customers: they render on their own and never ask
 * who is signed in, so a visitor's browser sees no `401 /me`.
 */
export function App() {
  const { pathname } = useLocation();
  const publicPage = PUBLIC_ROUTES.some((r) => matchPath(r.path, pathname));
  if (publicPage) {
    return (
      <Suspense fallback={<PageLoader />}>
        <Routes>
          {PUBLIC_ROUTES.map((r) => (
            <Route key={r.path} path={r.path} element={r.element} />
          ))}
        </Routes>
      </Suspense>
    );
  }
  return <AgentApp />;
}

/** The agent app: first-run setup, sign-in, or the signed-in agent's pages. */
function AgentApp() {
  const setup = useSetupState();
  const me = useMe();
  const { pathname } = useLocation();
  if (setup.isPending || me.isPending) return <PageLoader />;

  if (setup.data?.needsSetup) {
    return (
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="*" element={<Navigate to="/setup" replace />} />
        </Routes>
      </Suspense>
    );
  }

  if (!me.data) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: pathname }} />} />
      </Routes>
    );
  }

  const current = me.data;
  const user = current.user;
  return (
    <RealtimeProvider meId={user.id}>
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route element={<Layout me={me.data} />}>
            <Route path="/inbox/:view" element={<InboxPage />} />
            <Route path="/tickets/:id" element={<TicketPage me={me.data} />} />
            <Route path="/search" element={<SearchPage />} />
            {adminHome(current) && <Route path="/admin/:section" element={<AdminPage me={me.data} />} />}
            {ROUTES.filter((r) => !r.adminOnly || user.role === "admin").map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="*" element={<Navigate to="/inbox/mine" replace />} />
          </Route>
        </Routes>
        {OVERLAYS.map((Overlay, i) => (
          <Overlay key={i} me={current} />
        ))}
      </Suspense>
    </RealtimeProvider>
  );
}
