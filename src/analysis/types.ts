/**
 * The analysis core's inputs. Everything is already reduced to calendar days
 * (integers, days since 1970-01-01 in the report zone); nothing here knows
 * about files, columns or time zones.
 */

/**
 * Per-day aggregates of one stakeholder (or one stakeholder within a segment),
 * sorted by day. Read-only: the arrays may be views of buffers the ledger
 * shares between stakeholders, and without weights `volumes` and `squares`
 * may be the `counts` array itself, so writing one would change the others.
 */
export interface DaySeries {
  days: Int32Array;
  /** c: number of interactions on the day. */
  counts: Float64Array;
  /** n: sum of weights on the day. */
  volumes: Float64Array;
  /** Σw² on the day, for the Kish effective count of the interval. */
  squares: Float64Array;
}

/**
 * The additive pieces of burstiness over a stakeholder's gaps (in seconds):
 * what a rollup carries instead of the instants themselves.
 */
export interface GapMoments {
  count: number;
  sum: number;
  sumSq: number;
}

/**
 * A stakeholder's instants (epoch ms) in the order they were read, as pieces
 * of larger arrays: what the ledger hands out for a file read by parse
 * workers, instead of copying every instant into one array of its own (on ten
 * million rows that copy took the snapshot 0.3–0.5 s on one core). Burstiness
 * takes the instants at positions [skip, skip + count) once sorted.
 * Read-only, like the series: the arrays are shared with other stakeholders.
 */
export interface InstantPieces {
  arrays: readonly Float64Array[];
  /** (array, start, length) triples, shared; this stakeholder's are triples first … first + pieces − 1. */
  table: Int32Array;
  first: number;
  pieces: number;
  skip: number;
  count: number;
}

export interface StakeholderInput {
  id: string;
  series: DaySeries;
  /** Every interaction's instant in epoch ms, sorted ascending, for burstiness. */
  instants: Float64Array;
  /** Set instead of `instants` (then empty) when the ledger kept the parse workers' arrays. */
  instantPieces?: InstantPieces;
  /** Set when the input was a rollup: burstiness comes from these and `instants` is empty. */
  gapMoments?: GapMoments;
  /** Dimension values that are the same on every one of the stakeholder's interactions. */
  dimensions: Record<string, string>;
}

export interface SegmentInput {
  dimension: string;
  value: string;
  stakeholders: { id: string; series: DaySeries }[];
}

export interface EventSpec {
  name: string;
  kind: string | null;
  start: number;
  end: number;
  /** Per-event window sizes; null means "use the run's default". */
  before: number | null;
  after: number | null;
}

export type TimelineBucket = 'day' | 'week' | 'month';

export interface AnalysisSettings {
  before: number;
  after: number;
  minInteractions: number;
  silenceDays: number;
  profileDays: number;
  settleDays: number;
  tolerance: number;
  confidence: number;
  flagAbove: number;
  timeline: TimelineBucket;
}

export interface AnalysisInput {
  period: { from: number; to: number };
  stakeholders: StakeholderInput[];
  segments: SegmentInput[];
  events: EventSpec[];
  /** Declared events must leave both window and baseline days; detected ones need not. */
  eventsDeclared: boolean;
  settings: AnalysisSettings;
}
