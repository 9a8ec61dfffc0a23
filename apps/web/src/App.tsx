import { Center, Loader } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { matchPath, Navigate, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { adminHome } from "./features/admin/sections.ts";
import { LoginPage } from "./features/auth/LoginPage.tsx";
import { ForgotPasswordPage, ResetPasswordPage } from "./features/auth/PasswordResetPages.tsx";
import { probablySignedIn, useBootstrap } from "./features/auth/session.ts";
import { contributions } from "./features/extensions.ts";
import { inboxFilters, ticketPagesOptions } from "./features/inbox/api.ts";
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
  const boot = useBootstrap();
  const { pathname, search } = useLocation();
  const qc = useQueryClient();
  // The inbox's list does not wait for the start-up data: both requests leave together
  // (once, on the first render; a repeated prefetch of the same key is a no-op).
  useState(() => {
    const view = matchPath("/inbox/:view", pathname)?.params.view;
    if (view && probablySignedIn())
      void qc.prefetchInfiniteQuery(ticketPagesOptions(view, inboxFilters(new URLSearchParams(search))));
  });
  if (boot.isPending) return <PageLoader />;

  if (boot.data?.needsSetup) {
    return (
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="*" element={<Navigate to="/setup" replace />} />
        </Routes>
      </Suspense>
    );
  }

  const me = { data: boot.data?.me ?? null };
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
            {/* Just after setup the session arrives while the address is still /setup: a new admin starts at the checklist. */}
            <Route
              path="/setup"
              element={<Navigate to={user.role === "admin" ? "/getting-started" : "/inbox/mine"} replace />}
            />
            {adminHome(current) && <Route path="/admin/:section" element={<AdminPage me={me.data} />} />}
            {ROUTES.filter(
              (r) => (!r.adminOnly || user.role === "admin") && (!r.managers || user.role !== "agent"),
            ).map((r) => (
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
