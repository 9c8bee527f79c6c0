import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { postgresAnswers } from './postgres';
import { isAlive, run, waitFor } from './process-utils';

/** Where Debian's PostgreSQL server binaries live (package postgresql-15). */
export const DEBIAN_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of its own (`initdb` into `dataDir`, listening on 127.0.0.1:`port` only, trust
 * authentication for local connections), for tests that stop, kill or restart the database without touching
 * the shared one. Run by the `postgres` system user when this process is root (the server refuses root).
 */
export class LocalPostgresCluster {
  constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly bin = DEBIAN_POSTGRES_BIN,
  ) {}

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get logFile(): string {
    return join(this.dataDir, '..', `postgres-${this.port}.log`);
  }

  private pgCommand(tool: string, args: string[]): string {
    const command = join(this.bin, tool);
    if (process.getuid?.() === 0) return run('runuser', ['-u', 'postgres', '--', command, ...args]);
    return run(command, args);
  }

  /** `initdb` once (no-op when the folder already holds a cluster). */
  init(): void {
    if (existsSync(join(this.dataDir, 'PG_VERSION'))) return;
    // Parents readable by the server's user; the cluster folder its own (initdb insists on 0700).
    mkdirSync(join(this.dataDir, '..'), { recursive: true });
    mkdirSync(this.dataDir, { mode: 0o700 });
    if (process.getuid?.() === 0) {
      const uid = Number(run('id', ['-u', 'postgres']).trim());
      const gid = Number(run('id', ['-g', 'postgres']).trim());
      chownSync(this.dataDir, uid, gid);
      writeFileSync(this.logFile, '');
      chownSync(this.logFile, uid, gid);
    }
    this.pgCommand('initdb', [
      '-D',
      this.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
  }

  /** Starts the server and waits until it answers. */
  async start(): Promise<void> {
    this.pgCommand('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      '60',
      '-o',
      // Loopback only, no Unix socket in a system folder; fsync off: a test cluster trades durability across
      // an OS crash (not a fault it injects) for speed — a server crash or fast shutdown loses nothing committed.
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=300`,
      'start',
    ]);
    await waitFor(`PostgreSQL on 127.0.0.1:${this.port}`, () => postgresAnswers(this.adminUrl), 60_000);
  }

  /** `pg_ctl stop -m fast`: disconnects every client, rolls back open transactions, checkpoints. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    if (this.pid() === undefined) return;
    this.pgCommand('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** A fast restart, as an operator's `pg_ctl restart -m fast` or a failover to the same node would do. */
  async restart(): Promise<void> {
    this.stop('fast');
    await this.start();
  }

  /** The postmaster's PID while it runs. */
  pid(): number | undefined {
    const file = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
  }
}

/** True when Debian's server binaries are installed (the `postgresql` package). */
export function debianPostgresInstalled(bin = DEBIAN_POSTGRES_BIN): boolean {
  return spawnSync(join(bin, 'postgres'), ['--version'], { stdio: 'ignore' }).status === 0;
}
