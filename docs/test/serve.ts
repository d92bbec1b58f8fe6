// A static server for the built site, as a reader's browser would see it:
// clean URLs, and the cross-origin isolation headers that SharedArrayBuffer needs.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

function resolveFile(root: string, urlPath: string): string | undefined {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0]!)).replace(/^(\.\.[/\\])+/, "");
  for (const candidate of [clean, `${clean}.html`, join(clean, "index.html")]) {
    const p = join(root, candidate);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

export async function serve(root: string, port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const file = resolveFile(root, req.url ?? "/");
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    };
    if (file === undefined) {
      res.writeHead(404, { ...headers, "content-type": "text/html" });
      createReadStream(join(root, "404.html")).pipe(res);
      return;
    }
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
