import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/health",
    {
      config: { public: true },
      schema: {
        tags: ["system"],
        summary: "Liveness and the database backend in use",
        response: {
          200: z.object({
            status: z.literal("ok"),
            backend: z.enum(["pglite", "postgres"]),
            version: z.string(),
          }),
        },
      },
    },
    async (req) => {
      await req.ctx.db.execute(sql`select 1`);
      return { status: "ok" as const, backend: req.ctx.database.backend, version: "0.1.0" };
    },
  );
};
