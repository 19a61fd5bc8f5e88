/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The platform serves the build from the same origin as the API, so the dev server proxies the
// API paths to a running platform (`make serve`, port 8000 by default) and cookies stay
// first-party: the refresh cookie (Path=/api/v1/auth) works in development as in production.
const backend = process.env.PE_BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/health": { target: backend, changeOrigin: false },
    },
  },
  build: {
    // No source maps in the shipped bundle: they would publish the sources and comments.
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    include: ["src/**/*.test.{ts,tsx}"],
    // jsdom + Mantine are slow on a busy 2-core CI machine; these are not timing tests.
    testTimeout: 60_000,
  },
});
