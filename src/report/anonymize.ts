import { createHmac } from 'node:crypto';
import { compareBySpikiness } from '../analysis/stakeholder-metrics.js';
import type { Report } from './report-types.js';

/**
 * A stable pseudonym: the same id (and salt) always gives the same name, so
 * reports of different runs can be compared without showing real ids. Without
 * a secret salt, ids from a small known space (HCP-00001…) can be recovered by
 * trying them all; pass a salt when that matters.
 */
export function pseudonym(id: string, salt: string): string {
  return `S-${createHmac('sha256', salt).update(id, 'utf8').digest('hex').slice(0, 10)}`;
}

/** The report with every stakeholder id replaced by its pseudonym (rows re-sorted as SPEC §6 orders them). */
export function anonymizeReport(report: Report, salt: string): Report {
  const rename = (id: string): string => pseudonym(id, salt);
  const stakeholders = report.stakeholders
    .map((s) => ({ ...s, id: rename(s.id) }))
    .sort(compareBySpikiness);
  const anonymized: Report = { ...report, stakeholders };
  if (report.gate) {
    anonymized.gate = report.gate.map((g) => (g.offenders ? { ...g, offenders: g.offenders.map((o) => ({ ...o, id: rename(o.id) })) } : g));
  }
  return anonymized;
}
