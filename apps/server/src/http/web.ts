import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Vite names every file in assets/ after its content hash: a new build gets new names. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** index.html and the other unhashed files: the browser revalidates them (ETag) on every load. */
export const REVALIDATE_CACHE = "no-cache";

/**
 * Static files are outside the API rate limit (`rateLimit: false`): one page load fetches
 * dozens of them and they cost the server next to nothing. The routes are declared here,
 * not made by @fastify/static, so that each one says so.
 */
const staticRoute = { config: { rateLimit: false }, schema: { hide: true } } as const;

/**
 * Serves the built web app at `/`: hashed assets with a year's immutable cache, the other
 * top-level files (the favicon) revalidated, and index.html for client-side routes.
 */
export async function registerWeb(app: FastifyInstance, dist: string) {
  const hasWeb = fs.existsSync(path.join(dist, "index.html"));
  if (hasWeb) {
    const assets = path.join(dist, "assets") + path.sep;
    await app.register(fastifyStatic, {
      root: dist,
      serve: false,
      dotfiles: "ignore",
      cacheControl: false,
      // Only on success: a missing asset's 404 must not be cached for a year.
      setHeaders: (reply, file) =>
        reply.header("cache-control", file.startsWith(assets) ? IMMUTABLE_CACHE : REVALIDATE_CACHE),
    });
    app.get<{ Params: { "*": string } }>("/assets/*", staticRoute, (req, reply) =>
      reply.sendFile(`assets/${req.params["*"]}`),
    );
    for (const entry of fs.readdirSync(dist, { withFileTypes: true })) {
      if (entry.isFile() && entry.name !== "index.html")
        app.get(`/${entry.name}`, staticRoute, (_req, reply) => reply.sendFile(entry.name));
    }
  }
  app.setNotFoundHandler((req, reply) => {
    const isPage =
      req.method === "GET" &&
      !req.url.startsWith("/api/") &&
      (req.headers.accept ?? "").includes("text/html");
    if (hasWeb && isPage) return reply.type("text/html").sendFile("index.html");
    return reply
      .status(404)
      .send({ error: { code: "not_found", message: `No route ${req.method} ${req.url.split("?")[0]}` } });
  });
}
