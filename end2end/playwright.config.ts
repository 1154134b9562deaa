import { defineConfig, devices } from "@playwright/test";
import * as path from "node:path";
import { chromium, portalServer, root } from "./portal-server";

// The portal under test runs on its own port with its own database, started
// here: `portal seed-demo` then `portal serve`, with the movable dev clock.
const port = Number(process.env.E2E_PORT ?? 3210);
const bin = process.env.PORTAL_BIN ?? path.join(root, "target/debug/portal");
const dataDir = path.join(__dirname, ".data");

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // CI (.ci/run) retries a failed test once, and the report names it
  // "flaky" with the browser's errors of the failed try (tests/fixtures.ts):
  // a CI run is not lost to one rare failure, and the failure still shows.
  // Locally a failure stays a failure.
  retries: Number(process.env.E2E_RETRIES ?? 0),
  reporter: [["list"], ["html", { open: "never" }]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", testIgnore: /(clock|policy)\.spec\.ts/, use: { ...devices["Desktop Chrome"], channel: undefined } },
    // Publishes a privacy-policy version, which pauses every holder's
    // features until they accept it: runs after the others.
    {
      name: "policy",
      testMatch: /policy\.spec\.ts/,
      dependencies: ["desktop"],
      use: { ...devices["Desktop Chrome"], channel: undefined },
    },
    // Moves the server's clock: runs last, alone.
    {
      name: "clock",
      testMatch: /clock\.spec\.ts/,
      dependencies: ["policy"],
      use: { ...devices["Desktop Chrome"], channel: undefined },
    },
  ],
  webServer: portalServer({ bin, port, dataDir, env: { PORTAL_DEV_CLOCK: "1" } }),
});
