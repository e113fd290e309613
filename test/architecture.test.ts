import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-cli.js';

/** The pure core: analysis, report and render never do I/O, read the process or colour text. */
const PURE = ['src/analysis', 'src/report', 'src/render', 'src/sql'];
const FORBIDDEN = [/from 'node:fs/, /from 'fs'/, /\bprocess\./, /from 'chalk'/, /\bDate\.now\(/, /console\./];

describe('architecture', () => {
  for (const folder of PURE) {
    for (const file of readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.ts'))) {
      it(`${folder}/${file} stays pure`, () => {
        const text = readFileSync(join(ROOT, folder, file), 'utf8');
        for (const pattern of FORBIDDEN) expect(text, `${pattern}`).not.toMatch(pattern);
      });
    }
  }

  it('bin/engage-audit.js only calls main', () => {
    const bin = readFileSync(join(ROOT, 'bin/engage-audit.js'), 'utf8');
    expect(bin.split('\n').filter((l) => l.trim() && !l.startsWith('#!')).map((l) => l.trim())).toEqual([
      "import { main } from '../dist/bundle/cli.js';",
      'await main(process.argv.slice(2));',
    ]);
  });
});
