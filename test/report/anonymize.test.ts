import { describe, expect, it } from 'vitest';
import { anonymizeReport, pseudonym } from '../../src/report/anonymize.js';
import type { Report } from '../../src/report/report-types.js';
import { runCli } from '../helpers/run-cli.js';

describe('--anonymize', () => {
  it('gives stable pseudonyms that change with the salt', () => {
    expect(pseudonym('HCP-00042', '')).toBe(pseudonym('HCP-00042', ''));
    expect(pseudonym('HCP-00042', '')).not.toBe(pseudonym('HCP-00043', ''));
    expect(pseudonym('HCP-00042', 'secret')).not.toBe(pseudonym('HCP-00042', ''));
    expect(pseudonym('HCP-00042', '')).toMatch(/^S-[0-9a-f]{10}$/);
  });

  it('replaces every stakeholder id in every format, keeping the figures', () => {
    const base = ['report', 'fixtures/demo/interactions.csv', '--events', 'fixtures/demo/events.csv', '-q'];
    const plain = JSON.parse(runCli([...base, '--format', 'json']).stdout) as Report;
    const anon = JSON.parse(runCli([...base, '--format', 'json', '--anonymize']).stdout) as Report;
    expect(anon.stakeholders).toHaveLength(plain.stakeholders.length);
    expect(anon.overall).toEqual(plain.overall);
    const ids = new Set(plain.stakeholders.map((s) => s.id));
    for (const s of anon.stakeholders) expect(ids.has(s.id)).toBe(false);
    expect(anon.stakeholders[0].spikiness).toBe(plain.stakeholders[0].spikiness);
    expect(anon.stakeholders[0].id).toBe(pseudonym(plain.stakeholders[0].id, ''));
    for (const format of ['table', 'csv', 'markdown']) {
      const out = runCli([...base, '--format', format, '--anonymize']).stdout;
      expect(out, format).not.toMatch(/HCP-\d{5}|PAT-\d{5}|PO-\d{4}/);
    }
  });

  it('renames gate offenders too', () => {
    const r = { stakeholders: [], gate: [{ scope: 'stakeholders', id: 'scored', metric: 'shareAbove', limit: 0, actual: 1, passed: false, offenders: [{ id: 'A', actual: 9 }] }] } as unknown as Report;
    expect(anonymizeReport(r, 'x').gate![0].offenders![0].id).toBe(pseudonym('A', 'x'));
  });
});
