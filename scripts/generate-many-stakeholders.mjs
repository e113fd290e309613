#!/usr/bin/env node
// A log with an exact number of distinct stakeholders, for the scale test of issue #6
// (generate-log.mjs draws stakeholders at random, so 3M rows over 1M ids reach only ~822K):
//
//   node scripts/generate-many-stakeholders.mjs --stakeholders 1000000 --per 3 --out many.csv
//
// Ids S-0000000…, each with --per rows on random instants of 2024-01-01…2025-12-31 (seeded
// LCG, so the file is the same on every machine), types hcp/patient/patient_org in turn.
// Use the events of generate-log.mjs (--events-out) with it.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { stakeholders: { type: 'string', default: '1000000' }, per: { type: 'string', default: '3' }, out: { type: 'string' } },
});
if (!values.out) {
  process.stderr.write('Usage: node scripts/generate-many-stakeholders.mjs --stakeholders N --per K --out FILE\n');
  process.exit(2);
}
const n = Number(values.stakeholders);
const per = Number(values.per);
let state = 1;
const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const types = ['hcp', 'patient', 'patient_org'];
const base = Date.UTC(2024, 0, 1);
const out = createWriteStream(values.out);
let buf = 'timestamp,stakeholder_id,stakeholder_type,channel\n';
for (let i = 0; i < n; i++) {
  const id = `S-${String(i).padStart(7, '0')}`;
  for (let k = 0; k < per; k++) {
    const t = new Date(base + Math.floor(rnd() * 731 * 86400) * 1000).toISOString().replace('.000', '');
    buf += `${t},${id},${types[i % 3]},${k === 0 ? 'call' : 'email'}\n`;
  }
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
