// A small static file server for the built page, web/dist/ (npm start; the browser tests start it
// on a free port). scripts/build-web.mjs writes web/dist/.
//   node scripts/serve.mjs [port]     default port: $PORT or 8080, on 127.0.0.1
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB_ROOT = fileURLToPath(new URL('../web/dist/', import.meta.url));

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// Resolves a URL path inside root, or returns null when it would leave it.
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root.replace(/\/$/, '') || file.startsWith(root) ? file : null;
}

async function handle(root, request, response) {
  const send = (status, text) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n');
  let file = resolveInside(root, new URL(request.url, 'http://localhost').pathname);
  if (!file) return send(403, 'forbidden\n');
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const info = await stat(file);
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  } catch {
    send(404, 'not found\n');
  }
}

// Starts serving root on 127.0.0.1:port (0 picks a free port). Resolves to { server, url }.
export function startServer({ port = 8080, root = WEB_ROOT } = {}) {
  const base = path.resolve(root) + path.sep;
  const server = http.createServer((req, res) => {
    handle(base, req, res).catch(() => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
    console.error('serve: web/dist/index.html is missing; build the page first (npm run build)');
    process.exit(1);
  }
  const { url } = await startServer({ port });
  console.log(`Logit Lab is served at ${url}  (Ctrl+C stops it)`);
}
