import { defineConfig, devices } from "@playwright/test";
import * as path from "node:path";
import { chromium, portalServer, root } from "./portal-server";

// The holder's journey through the static build (Trunk.toml): the pages come
// from a static file server on one port, the server functions and the API
// from a portal on another that allows that origin (PORTAL_STATIC_ORIGIN).
// Run after `make static` and `make release`: `make e2e-static`.
const portalPort = Number(process.env.E2E_PORTAL_PORT ?? 3211);
const staticPort = Number(process.env.E2E_STATIC_PORT ?? 3220);
const portal = `http://127.0.0.1:${portalPort}`;
const site = `http://127.0.0.1:${staticPort}`;
const bin = process.env.PORTAL_BIN ?? path.join(root, "target/release/portal");
const dataDir = path.join(__dirname, ".data-static");

export default defineConfig({
  testDir: "./static",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  // CI (.ci/run) retries a failed test once, and the report names it
  // "flaky" with the browser's errors of the failed try (tests/fixtures.ts):
  // a CI run is not lost to one rare failure, and the failure still shows.
  // Locally a failure stays a failure.
  retries: Number(process.env.E2E_RETRIES ?? 0),
  reporter: [["list"]],
  outputDir: "test-results-static",
  use: {
    ...devices["Desktop Chrome"],
    channel: undefined,
    baseURL: site,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  webServer: [
    portalServer({ bin, port: portalPort, dataDir, env: { PORTAL_STATIC_ORIGIN: site } }),
    {
      command: `exec node static-server.mjs "${path.join(root, "target/static")}" ${staticPort} ${portal}`,
      url: `${site}/`,
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
