import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";
import { AvailabilityBadge, AvailabilityMenu } from "./Availability.tsx";
import { ChatNotifier } from "./ChatNotifier.tsx";
import { ChatPanel } from "./ChatPanel.tsx";

const ChatAdmin = lazy(() => import("./ChatAdmin.tsx"));
const ChatPage = lazy(() => import("./Availability.tsx"));

/** Live chat: incoming chats ring, availability, chat sidebar with transfer, admin sites. */
export const extension: FeatureExtension = {
  bootstrap: [{ part: "chatAgents", queryKey: ["chat", "agents"] }],
  routes: [
    {
      path: "/chat",
      element: (
        <Suspense fallback={null}>
          <ChatPage />
        </Suspense>
      ),
    },
  ],
  nav: [{ to: "/chat", labelKey: "chat.nav", badge: AvailabilityBadge }],
  ticketSidebar: [ChatPanel],
  overlays: [ChatNotifier],
  headerItems: [AvailabilityMenu],
  adminSections: [
    {
      key: "chat",
      labelKey: "chat.admin.title",
      element: () => (
        <Suspense fallback={null}>
          <ChatAdmin />
        </Suspense>
      ),
    },
  ],
};
