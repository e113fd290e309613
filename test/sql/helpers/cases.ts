import { fileURLToPath } from 'node:url';
import type { TimestampType } from '../../../src/sql/dialect.js';
import type { Columns } from './reference-rollup.js';

const fixture = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));

export interface ExecutionCase {
  name: string;
  file: string;
  columns: Columns;
  tz: string;
  type: TimestampType;
}

const worked: Columns = { stakeholder: 'stakeholder_id', timestamp: 'timestamp', by: [] };
const demo: Columns = { stakeholder: 'stakeholder_id', timestamp: 'timestamp', weight: 'minutes', by: ['stakeholder_type', 'channel'] };
const edge: Columns = { stakeholder: 'stakeholder_id', timestamp: 'timestamp', weight: 'weight', by: ['channel'] };

/** What both executed engines run: the SPEC's worked example, the demo, and the edge cases in every timestamp type. */
export const EXECUTION_CASES: ExecutionCase[] = [
  { name: 'worked example, text, UTC', file: fixture('spec/worked-example.csv'), columns: worked, tz: 'UTC', type: 'text' },
  { name: 'demo, text, UTC', file: fixture('demo/interactions.csv'), columns: demo, tz: 'UTC', type: 'text' },
  { name: 'demo, instant, Europe/Paris', file: fixture('demo/interactions.csv'), columns: demo, tz: 'Europe/Paris', type: 'instant' },
  ...(['text', 'instant', 'utc', 'wall'] as const).flatMap((type) =>
    ['UTC', 'Europe/Paris', 'America/New_York'].map((tz) => ({ name: `edge cases, ${type}, ${tz}`, file: fixture('sql/edge-cases.csv'), columns: edge, tz, type })),
  ),
];
