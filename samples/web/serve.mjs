// A static file server for dist/ (the page needs nothing else): node serve.mjs [PORT], then open http://localhost:PORT/
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream', '.png': 'image/png',
};

/** Serves the files under `dir` (GET and HEAD); resolves to the listening server. */
export function serve(dir, port = 0, host = '127.0.0.1') {
  const root = path.resolve(dir);
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const file = path.resolve(root, `.${decodeURIComponent(url.pathname).replace(/\/$/, '/index.html')}`);
    let stat = null;
    try {
      stat = file.startsWith(root + path.sep) ? statSync(file) : null;
    } catch {
      // not found
    }
    if (!['GET', 'HEAD'].includes(request.method) || stat === null || !stat.isFile()) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405, { 'content-type': 'text/plain' });
      response.end(`${request.method} ${url.pathname}: not here\n`);
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
    } else {
      createReadStream(file).pipe(response);
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // --help and --version, as every Sentikit program answers them.
  if (['--help', '-h'].includes(process.argv[2])) {
    console.log('Usage: node serve.mjs [PORT]\nServes dist/ (npm run build writes it) at http://localhost:PORT/ '
      + '(default: PORT from the environment, else 8080).');
    process.exit(0);
  }
  if (['--version', '-V'].includes(process.argv[2])) {
    const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
    console.log(`serve: Sentikit ${version} (JavaScript; onnxruntime-web), Node ${process.version}`);
    process.exit(0);
  }
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: the port must be a number from 0 to 65535, not ${JSON.stringify(process.argv[2])}`);
    process.exit(2);
  }
  const server = await serve(path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist'), port);
  console.log(`serving dist/ at http://localhost:${server.address().port}/`);
}
