import * as path from "node:path";

/**
 * How both Playwright configurations start Debian's Chromium. It hangs under
 * libfaketime: under `faketime` it starts without it, and tests/fixtures.ts
 * sets its clock to the faked one instead.
 */
export const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  env: Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("FAKETIME") && name !== "LD_PRELOAD"),
  ) as Record<string, string>,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

/** The repository's root. */
export const root = path.resolve(__dirname, "..");

/**
 * Playwright's web server entry for a portal under test: a fresh database in
 * `dataDir` with the demo data, on its own port, answering once /healthz does.
 */
export function portalServer(options: { bin: string; port: number; dataDir: string; env?: Record<string, string> }) {
  const { bin, port, dataDir } = options;
  return {
    command: `rm -rf "${dataDir}" && "${bin}" seed-demo && exec "${bin}" serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      PORTAL_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite://${dataDir}/portal.db?mode=rwc`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: path.join(root, "target/site"),
      RUST_LOG: "warn",
      ...options.env,
    },
  };
}
