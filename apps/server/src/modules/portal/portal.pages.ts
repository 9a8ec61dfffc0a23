import type { FastifyPluginAsync } from "fastify";

export const portalPages: FastifyPluginAsync = async () => {};
