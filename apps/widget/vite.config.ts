import path from "node:path";
import { defineConfig } from "vite";

/**
 * Two builds (scripts/build-widget.mjs runs both): WIDGET_TARGET=loader makes dist/loader.js
 * (a classic script, no dependencies), WIDGET_TARGET=app makes the iframe app in dist/app/
 * (served at /widget/app/). Preact's JSX comes from the `@jsxImportSource preact` pragma.
 */
const target = process.env.WIDGET_TARGET === "loader" ? "loader" : "app";
const root = import.meta.dirname;

export default defineConfig(
  target === "loader"
    ? {
        root,
        logLevel: "warn",
        build: {
          outDir: "dist",
          emptyOutDir: false,
          minify: true,
          lib: {
            entry: path.join(root, "src/loader.ts"),
            formats: ["iife"],
            name: "RapportChatLoader",
            fileName: () => "loader.js",
          },
        },
      }
    : {
        root: path.join(root, "src/app"),
        base: "/widget/app/",
        logLevel: "warn",
        build: { outDir: path.join(root, "dist/app"), emptyOutDir: true, minify: true, modulePreload: false },
      },
);
