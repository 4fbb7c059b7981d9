// Starts the real delivery service (the delivery-service jar, SQLite in a scratch directory) on
// a free loopback port for a package test, and stops it. The jar comes from MLSKIT_DS_JAR, which
// package-tests.sh sets (Maven builds delivery-service before js-bindings' integration tests).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function launch(jar, dir, port) {
  const db = join(dir, 'ds.sqlite');
  const child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', jar, '--port', String(port), '--db',
    `sqlite:${db}`, '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killAtExit = () => child.kill('SIGKILL');
  process.on('exit', killAtExit);
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the DS did not start in 60 s:\n${log}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      log += chunk;
      const m = /mlskit delivery service on (http:\/\/[^\s/]+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c) => {
      log += c;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the DS exited (${code}):\n${log}`));
    });
  });
  const stop = async () => {
    process.off('exit', killAtExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  return { url, db, stop, log: () => log };
}

/** The DS on a free port: {url, db, dir, restart(), stop()}; restart keeps its port and database. */
export async function startDs() {
  const jar = process.env.MLSKIT_DS_JAR;
  if (!jar || !existsSync(jar)) {
    throw new Error(`the delivery-service jar is missing (${jar}); build it: mvn -pl delivery-service -am package -DskipTests`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'mlskit-ds-'));
  let running = await launch(jar, dir, 0);
  const url = running.url;
  const port = Number(new URL(url).port);
  return {
    url,
    db: running.db,
    dir,
    log: () => running.log(),
    /** Stops the server; `resume()` starts it again on the same port and database. */
    async pause() {
      await running.stop();
    },
    async resume() {
      running = await launch(jar, dir, port);
    },
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
