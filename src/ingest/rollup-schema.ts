import { UsageError } from '../errors.js';
import { FIRST_PLAUSIBLE_DAY, LAST_PLAUSIBLE_DAY, parseDay } from '../time/civil-date.js';
import type { RollupSums } from '../ledger/ledger.js';
import { asText, DECIMAL_RE, stakeholderId } from './validate-row.js';
import { distinctNames } from './column-mapping.js';
import type { RejectReason } from './rejects.js';

/**
 * The rollup's fixed columns, in order (README "Scaling out"): one row per
 * (stakeholder, day, --by values). Every other column is a dimension.
 */
export const ROLLUP_COLUMNS = ['stakeholder', 'day', 'interactions', 'volume', 'volume_sq', 'gap_count', 'gap_sum', 'gap_sum_sq'] as const;
type RollupColumn = (typeof ROLLUP_COLUMNS)[number];

export interface RollupMapping {
  /** Position of each fixed column in the record. */
  at: Record<RollupColumn, number>;
  dimensions: { index: number; name: string }[];
}

function fold(name: string): string {
  return name.trim().toLowerCase();
}

/** A header holding every rollup column is a rollup: no flag needed. */
export function isRollupHeader(columns: readonly string[]): boolean {
  const names = new Set(columns.map(fold));
  return ROLLUP_COLUMNS.every((c) => names.has(c));
}

export function mapRollupColumns(columns: readonly string[], file: string): RollupMapping {
  const folded = columns.map(fold);
  const at = {} as Record<RollupColumn, number>;
  const missing: string[] = [];
  for (const c of ROLLUP_COLUMNS) {
    const hits = folded.flatMap((f, i) => (f === c ? [i] : []));
    if (hits.length === 0) missing.push(c);
    else if (hits.length > 1) throw new UsageError(`${file}: the rollup column "${c}" appears ${hits.length} times in the header`);
    else at[c] = hits[0];
  }
  if (missing.length > 0) {
    throw new UsageError(
      `${file}: not a rollup: the header lacks ${missing.map((m) => `"${m}"`).join(', ')}`,
      `A rollup has the columns ${ROLLUP_COLUMNS.join(', ')} plus one per --by dimension; \`engage-audit sql\` prints the query that makes one. Without --input-format rollup the file is read as interactions.`,
    );
  }
  const fixed = new Set(Object.values(at));
  const names = distinctNames(columns);
  const dimensions = columns.flatMap((_, index) => (fixed.has(index) ? [] : [{ index, name: names[index] }]));
  return { at, dimensions };
}

export interface RollupRow {
  stakeholder: string;
  day: number;
  sums: RollupSums;
}

export interface RollupProblem {
  reason: RejectReason;
  field: string;
  message: string;
}


function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'string') return null;
  // The common case read digit by digit: an integer, or one written with a zero
  // fraction ("12.0", as engines print doubles), below 2^53 so the sum is exact.
  let i = 0;
  let x = 0;
  const len = v.length;
  while (i < len) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    x = x * 10 + c;
    i++;
  }
  if (i > 0 && i <= 15) {
    if (i === len) return x;
    if (v.charCodeAt(i) === 46) {
      let j = i + 1;
      while (j < len && v.charCodeAt(j) === 48) j++;
      if (j === len && j > i + 1) return x;
    }
  }
  const t = v.trim();
  // Number() also takes "", "0x1f" and "Infinity": the full pattern decides.
  const n = Number(t);
  if (!Number.isFinite(n) || t === '' || !DECIMAL_RE.test(t)) return null;
  return n;
}

/**
 * Whether readable sums pass every check of validateRollupRow (which words
 * the reason when they do not); false when any is NaN.
 */
export function plausibleSums(interactions: number, volume: number, volumeSq: number, gapCount: number, gapSum: number, gapSumSq: number): boolean {
  return (
    Number.isInteger(interactions) &&
    interactions >= 1 &&
    volume > 0 &&
    volumeSq > 0 &&
    Number.isInteger(gapCount) &&
    gapCount >= 0 &&
    gapCount <= interactions &&
    gapSum >= 0 &&
    gapSumSq >= 0 &&
    (gapCount > 0 || (gapSum === 0 && gapSumSq === 0))
  );
}

function shown(v: unknown): string {
  const t = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/** Validates one rollup record: the sums must be ones that interactions could have produced. */
export function validateRollupRow(values: readonly unknown[], m: RollupMapping): RollupRow | RollupProblem {
  const stakeholder = stakeholderId(values[m.at.stakeholder]);
  if (typeof stakeholder !== 'string') return { reason: 'stakeholder', field: 'stakeholder', message: stakeholder.problem };
  const dayText = asText(values[m.at.day]) ?? '';
  const day = parseDay(dayText);
  if (day === null) return { reason: 'day', field: 'day', message: `"${shown(dayText)}" is not a YYYY-MM-DD day` };
  // The same bounds as the timestamp reader: beyond them a day is a placeholder, and the ledger's keys hold no more.
  if (day < FIRST_PLAUSIBLE_DAY || day > LAST_PLAUSIBLE_DAY) return { reason: 'day', field: 'day', message: `${dayText}: year outside 1900–2200 (a placeholder date?)` };

  const read = (c: RollupColumn): number | RollupProblem => {
    const n = numberOf(values[m.at[c]]);
    if (n === null) return { reason: 'sums', field: c, message: `${c} "${shown(values[m.at[c]])}" is not a number` };
    return n;
  };
  const interactions = read('interactions');
  if (typeof interactions !== 'number') return interactions;
  if (!Number.isInteger(interactions) || interactions < 1) {
    return { reason: 'sums', field: 'interactions', message: `interactions ${interactions} is not a whole number of at least 1` };
  }
  const volume = read('volume');
  if (typeof volume !== 'number') return volume;
  if (!(volume > 0)) return { reason: 'sums', field: 'volume', message: `volume ${volume} is not positive` };
  const volumeSq = read('volume_sq');
  if (typeof volumeSq !== 'number') return volumeSq;
  if (!(volumeSq > 0)) return { reason: 'sums', field: 'volume_sq', message: `volume_sq ${volumeSq} is not positive` };
  const gapCount = read('gap_count');
  if (typeof gapCount !== 'number') return gapCount;
  if (!Number.isInteger(gapCount) || gapCount < 0 || gapCount > interactions) {
    return { reason: 'sums', field: 'gap_count', message: `gap_count ${gapCount} is not a whole number from 0 to interactions (${interactions})` };
  }
  const gapSum = read('gap_sum');
  if (typeof gapSum !== 'number') return gapSum;
  const gapSumSq = read('gap_sum_sq');
  if (typeof gapSumSq !== 'number') return gapSumSq;
  if (gapSum < 0) return { reason: 'sums', field: 'gap_sum', message: `gap_sum ${gapSum} is negative` };
  if (gapSumSq < 0) return { reason: 'sums', field: 'gap_sum_sq', message: `gap_sum_sq ${gapSumSq} is negative` };
  if (gapCount === 0 && (gapSum !== 0 || gapSumSq !== 0)) {
    return { reason: 'sums', field: 'gap_count', message: 'gap_count is 0 but gap_sum or gap_sum_sq is not' };
  }
  return { stakeholder, day, sums: { interactions, volume, volumeSq, gapCount, gapSum, gapSumSq } };
}

export function isRollupProblem(r: RollupRow | RollupProblem): r is RollupProblem {
  return (r as RollupProblem).reason !== undefined;
}
