// Serves the static build (Trunk.toml's target/static) the way a static host
// would: files as they are, and index.html for every path that is no file
// (the app's own routes, such as /data/messages). The page's
// <meta name="portal-origin"> is set to PORTAL_ORIGIN, as a deployment sets it
// to its portal's address.
//
//   node static-server.mjs DIR PORT PORTAL_ORIGIN
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";

const [root, port, portalOrigin] = process.argv.slice(2);
if (!root || !port || !portalOrigin) {
  console.error("usage: node static-server.mjs DIR PORT PORTAL_ORIGIN");
  process.exit(2);
}
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};
const index = fs
  .readFileSync(path.join(root, "index.html"), "utf8")
  .replace(/(<meta name="portal-origin" content=")[^"]*(")/, `$1${portalOrigin}$2`);

http
  .createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://static");
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    const inside = file.startsWith(path.resolve(root) + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile() && !file.endsWith("index.html")) {
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      fs.createReadStream(file).pipe(response);
      return;
    }
    response.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-cache" });
    response.end(index);
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`static build on http://127.0.0.1:${port}`));
