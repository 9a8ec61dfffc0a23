import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The agent web app. The Rapport server serves dist/ at `/`; `npm run dev` proxies the API. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:3000", ws: true } },
  },
});
