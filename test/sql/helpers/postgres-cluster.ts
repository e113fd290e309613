import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest Debian PostgreSQL server binaries, or null when none is installed. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? null : join(root, versions[0], 'bin');
}

/**
 * A throwaway cluster in a temporary folder, listening on a Unix socket only.
 * PostgreSQL refuses to run as root, so the server runs as the `postgres` user
 * when the tests run as root; psql, a client, may run as anyone.
 */
export class PostgresCluster {
  readonly dir: string;
  readonly port = 54329;
  private readonly asServer: string[];

  constructor(private readonly bin: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'ea-pg-'));
    const root = process.getuid?.() === 0;
    this.asServer = root ? ['runuser', '-u', 'postgres', '--'] : [];
    if (root) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
    }
    chmodSync(this.dir, 0o700);
  }

  private server(tool: string, args: string[]): void {
    const [cmd, ...pre] = [...this.asServer, join(this.bin, tool)];
    execFileSync(cmd, [...pre, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  start(): void {
    const data = join(this.dir, 'data');
    this.server('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    this.server('pg_ctl', [
      '-D', data, '-w', '-l', join(this.dir, 'log'),
      '-o', `-k ${this.dir} -c listen_addresses= -p ${this.port} -F -c shared_buffers=16MB`,
      'start',
    ]);
  }

  /** Runs SQL through psql and returns its standard output; any error stops it (ON_ERROR_STOP). */
  psql(sql: string): string {
    return execFileSync(join(this.bin, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
      input: sql,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, PGTZ: 'UTC', PGOPTIONS: '-c TimeZone=UTC' },
    });
  }

  stop(): void {
    try {
      this.server('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
