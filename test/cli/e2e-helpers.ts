import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BIN, ROOT, runCli, type CliResult } from '../helpers/run-cli.js';

export { BIN, ROOT, runCli, type CliResult };

/** SPEC §7 worked example, paths relative to the repository root (runCli's default cwd). */
export const WE_LOG = 'fixtures/spec/worked-example.csv';
export const WE_EVENTS = 'fixtures/spec/worked-example-events.csv';
export const WE_FLAGS = ['--before', '2', '--after', '2', '--profile-days', '5', '--settle-days', '2'] as const;

export const DEMO_LOG = 'fixtures/demo/interactions.csv';
export const DEMO_EVENTS = 'fixtures/demo/events.csv';

export const E2E = 'fixtures/e2e';

export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The report as the tests read it (loosely typed: the tests check the shape themselves). */
export type JsonReport = Record<string, any>;

/** Runs `report … --format json`, expects exit 0 and valid JSON on stdout. */
export function jsonReport(args: readonly string[], options: Parameters<typeof runCli>[1] = {}): { result: CliResult; report: JsonReport } {
  const result = runCli(['report', ...args, '--format', 'json'], options);
  if (result.code !== 0) {
    throw new Error(`engage-audit exited ${result.code}\nstderr:\n${result.stderr}`);
  }
  return { result, report: JSON.parse(result.stdout) as JsonReport };
}

/** The report without the one part that legitimately depends on how the log was given. */
export function withoutInputFiles(report: JsonReport): JsonReport {
  const copy = structuredClone(report);
  delete copy.input.files;
  return copy;
}

/** A fresh temporary folder; call the returned cleanup in afterAll. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `engage-audit-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the built CLI with an environment that has neither NO_COLOR nor
 * FORCE_COLOR, stdout being a pipe (not a TTY).
 */
export function runCliWithoutColorEnv(args: string[]): CliResult {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NO_COLOR' && k !== 'FORCE_COLOR' && k !== 'CLICOLOR_FORCE') env[k] = v;
  }
  env.TERM = 'xterm-256color';
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/;

/** Lines of stderr that start a message: "engage-audit: error: …" or commander's "error: …". */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(engage-audit: (error|internal error):|error:)/.test(l));
}

/**
 * A usage/input error as SPEC §5 wants it: exit 2, nothing on stdout, one
 * message on stderr that starts with the error prefix, no stack trace, no
 * "internal error", and every given phrase present in the message.
 */
export function expectUsageError(r: CliResult, ...phrases: (string | RegExp)[]): void {
  const context = `exit ${r.code}\nstdout:\n${r.stdout.slice(0, 2000)}\nstderr:\n${r.stderr}`;
  expect(r.code, context).toBe(2);
  expect(r.stdout, context).toBe('');
  expect(r.stderr, context).toMatch(/^(engage-audit: error: |error: )/);
  expect(r.stderr, context).not.toMatch(/internal error/);
  expect(r.stderr, context).not.toMatch(/^ {4}at /m);
  expect(r.stderr, context).not.toMatch(/Error: .*\n\s+at /);
  expect(errorLines(r.stderr), context).toHaveLength(1);
  for (const p of phrases) {
    if (typeof p === 'string') expect(r.stderr, context).toContain(p);
    else expect(r.stderr, context).toMatch(p);
  }
}

/** Deterministic pseudo-random bytes (a small LCG), so a failing run can be reproduced. */
export function pseudoRandomBytes(n: number, seed = 12345): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * A test that states the correct behaviour of a known bug: it runs as
 * `it.fails` (so the suite stays green while the bug is there, and turns red
 * once it is fixed, to be switched back to `it`). With ENGAGE_AUDIT_SHOW_BUGS=1
 * it runs as a plain `it`, to see the actual failure.
 */
export const itBug: typeof it.fails = process.env.ENGAGE_AUDIT_SHOW_BUGS ? (it as unknown as typeof it.fails) : it.fails;
