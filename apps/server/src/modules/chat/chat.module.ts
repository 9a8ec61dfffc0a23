import type { RapportModule } from "../registry.ts";
import { chatPublicRoutes } from "./chat.public.ts";
import { chatRoutes } from "./chat.routes.ts";
import { listChatAgents } from "./chat.service.ts";

/**
 * Live chat: widget sites, visitor sessions and websocket, chats as tickets with channel
 * "chat", automatic assignment by availability and load, transfer (docs/widget.md).
 */
export const chatModule: RapportModule = {
  name: "chat",
  routes: chatRoutes,
  rootRoutes: chatPublicRoutes,
  bootstrap: { chatAgents: listChatAgents },
};
