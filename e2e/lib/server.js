// Starts and stops a kkig server for a test file: `kkig serve --demo` on a free loopback port
// with a fresh SQLite database in its own temporary directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HEALTH_TIMEOUT_MS = 60_000;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns the kkig binary (KKIG_BIN, default ../target/debug/kkig relative to e2e/) and waits
 * until GET /health answers 200. Resolves to { baseURL, databaseURL, bin, tmp, stop(), output() };
 * `bin` and `databaseURL` let other helpers run the CLI against the same database.
 */
export async function startServer() {
  const bin = path.resolve(E2E_DIR, process.env.KKIG_BIN || '../target/debug/kkig');
  if (!fs.existsSync(bin)) {
    throw new Error(
      `kkig binary not found at ${bin}; build it with \`cargo build -p kkig-cli\` or set KKIG_BIN`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kkig-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const databaseURL = `sqlite://${tmp}/e2e.db`;
  const args = [
    'serve', '--demo',
    '--addr', `127.0.0.1:${port}`,
    '--database-url', databaseURL,
    // Links the server shows or exports (password links, the iCalendar feed's saved search)
    // point at this server, not at the default http://127.0.0.1:8080.
    '--base-url', baseURL,
  ];
  const child = spawn(bin, args, {
    cwd: tmp,
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
    child.on('error', (err) => { exited = { code: null, signal: null, err }; resolve(exited); });
  });
  // Never leave a server behind, even if the test process dies.
  const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  const output = () =>
    `--- kkig stderr ---\n${stderr || '(empty)'}\n--- kkig stdout ---\n${stdout || '(empty)'}`;

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    if (exited) {
      await stop();
      const why = exited.err ? exited.err.message : `exit code ${exited.code}, signal ${exited.signal}`;
      const msg = `kkig exited before it was healthy (${why}): ${bin} ${args.join(' ')}\n${output()}`;
      throw new Error(msg);
    }
    try {
      const res = await fetch(`${baseURL}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      last = `GET /health answered ${res.status}`;
    } catch (err) {
      last = err.cause?.code || err.message;
    }
    if (Date.now() > deadline) {
      await stop();
      const msg =
        `kkig was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (${last}): ` +
        `${bin} ${args.join(' ')}\n${output()}`;
      throw new Error(msg);
    }
    await sleep(200);
  }
  return { baseURL, databaseURL, bin, tmp, stop, output };
}
