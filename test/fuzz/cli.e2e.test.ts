/**
 * Fuzz (issue #6) through the built CLI (`npm run build` first), for what an
 * in-process run cannot show: the real exit code, real pipes on standard
 * input, Node's own warnings, and a hang caught by killing the process. A few
 * cases only; the in-process files carry the volume. Runs: see
 * fuzz-harness.ts (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';
import {
  budget,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  mutateBody,
  mutationArb,
  render,
  rowsArb,
  tempDir,
  timeoutFor,
  writeBytes,
  type RunResult,
} from './fuzz-harness.js';

const tmp = tempDir('e2e');
afterAll(() => tmp.cleanup(), CLEANUP_TIMEOUT_MS);

/** Kills a run after this long: it can only be a hang (these inputs take well under a second). */
const KILL_AFTER_MS = 20_000;

function spawnCli(args: string[], stdin?: Buffer): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: stdin,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: KILL_AFTER_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  // Killed by the timeout (or any signal): report it as the hang it is.
  const code = r.status === null ? 'hang' : r.status;
  // Node's own complaints (unhandled rejections, deprecations) are not messages of the tool.
  expect(r.stderr).not.toMatch(/^\(node:\d+\)|UnhandledPromiseRejection|ERR_UNHANDLED/m);
  return { code, stdout: r.stdout, stderr: r.stderr };
}

/** The demo export's header and first 2,999 rows (about 150 KB): a real export, quick to read. */
function demoHead(): Buffer {
  const text = readFileSync(`${ROOT}/fixtures/demo/interactions.csv`, 'utf8');
  return Buffer.from(text.split('\n').slice(0, 3000).join('\n') + '\n');
}

describe('the built CLI on hostile input', () => {
  it(
    'random bytes on standard input, plain and gzip-compressed',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, gzip) => {
          const payload = gzip ? gzipSync(bytes) : Buffer.from(bytes);
          expectAccountedOrClearError(spawnCli(['report', '-', '--format', 'json'], payload), { names: ['<stdin>'] });
        }),
        budget(1, 0.01),
      );
    },
    timeoutFor(1, 5000, 0.01),
  );

  it(
    'mutated logs from a file, with --rejects',
    () => {
      fc.assert(
        fc.property(rowsArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (rows, mutations) => {
          const file = writeBytes(tmp.path('log.csv'), mutateBody(Buffer.from(render('csv', rows)), mutations));
          const rejects = tmp.path('rejects.csv');
          expectAccountedOrClearError(spawnCli(['report', file, '--format', 'json', '--rejects', rejects]), { names: [file], rejectsPath: rejects });
        }),
        budget(1, 0.01),
      );
    },
    timeoutFor(1, 5000, 0.01),
  );

  it('a truncated gzip file exits 2 with one line naming it, in the default table format too', () => {
    const gz = gzipSync(demoHead());
    const file = writeBytes(tmp.path('cut.csv.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const r = spawnCli(['report', file]);
    expectAccountedOrClearError(r, { names: [file] });
    expect(r.stderr).toContain('gzip');
  });

  it('NUL bytes, stray CRs and invalid UTF-8 in a real export: exit 0, every row accounted for', () => {
    // Past the first 64 KiB that the binary check looks at, every 1000th byte is replaced.
    const bad = demoHead();
    const nasty = [0x00, 0x0d, 0xff, 0x22];
    for (let i = 70_000, k = 0; i < bad.length; i += 1000, k++) if (bad[i] !== 0x0a) bad[i] = nasty[k % nasty.length];
    const file = writeBytes(tmp.path('damaged.csv'), bad);
    const rejects = tmp.path('rejects.csv');
    const r = spawnCli(['report', file, '--format', 'json', '--rejects', rejects]);
    const input = expectAccountedOrClearError(r, { names: [file], rejectsPath: rejects });
    // 2,999 data rows; no edit above adds a line break (LF bytes are left alone, and a CR
    // is data once LF is the record delimiter), a stray quote may join lines: never more rows.
    expect(r.code).toBe(0);
    expect(input!.rowsRead).toBeLessThanOrEqual(2_999);
    expect(input!.rowsRejected).toBeGreaterThan(0);
  });
});
