// A private MariaDB server for fault tests (STACK.md): its own datadir in a temp dir and a free port,
// so a test may SIGKILL and restart it without touching the shared server on 3306.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin} || ls /usr/sbin/${bin} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0] || null;

/** Where mariadbd and mariadb-install-db are, if installed (CI installs mariadb-server). */
export const MARIADB_BINARIES = { server: which('mariadbd'), install: which('mariadb-install-db') };
export const hasMariaDbBinaries = !!(MARIADB_BINARIES.server && MARIADB_BINARIES.install);

export interface PrivateMariaDb {
  port: number;
  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** SIGKILL, as a crash or a pulled plug: no shutdown, no goodbye to the clients. */
  kill(): Promise<void>;
  /** Starts mariadbd again on the same datadir and port; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Kills the server if running and removes its directory. */
  destroy(): Promise<void>;
  running(): boolean;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

/** Initialises a datadir (a few seconds) and starts mariadbd on it; root without a password. */
export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  if (!hasMariaDbBinaries) throw new Error('mariadbd / mariadb-install-db not found (apt-get install -y mariadb-server)');
  const dir = mkdtempSync(join(tmpdir(), 'qc-mdb-'));
  const datadir = join(dir, 'data');
  const install = spawnSync(MARIADB_BINARIES.install!, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--user=root', '--skip-test-db'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr || install.stdout}`);
  const port = await freePort();
  const args = [
    '--no-defaults', `--datadir=${datadir}`, `--port=${port}`, `--socket=${join(dir, 'mdb.sock')}`, '--bind-address=127.0.0.1',
    '--user=root', `--pid-file=${join(dir, 'mdb.pid')}`, `--log-error=${join(dir, 'error.log')}`,
    '--innodb-buffer-pool-size=32M', '--max-connections=200',
  ];
  let proc: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  async function waitReady(): Promise<void> {
    const until = Date.now() + 60_000;
    for (;;) {
      if (!proc || proc.exitCode !== null) throw new Error(`mariadbd exited: ${readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000)}`);
      try {
        const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
        await c.end();
        return;
      } catch (e) {
        if (Date.now() > until) throw new Error(`mariadbd on ${port} not ready after 60 s`, { cause: e });
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
  }
  async function start(): Promise<void> {
    const p = spawn(MARIADB_BINARIES.server!, args, { stdio: 'ignore' });
    proc = p;
    // Best effort: never leave a server behind when the test process ends early.
    process.once('exit', () => p.kill('SIGKILL'));
    exited = new Promise<void>((ok) => p.once('exit', () => ok()));
    await waitReady();
  }
  async function kill(): Promise<void> {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
  }

  await start();
  return {
    port,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    destroy: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    running: () => !!proc && proc.exitCode === null && proc.signalCode === null,
  };
}
