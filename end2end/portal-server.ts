import * as path from "node:path";

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
