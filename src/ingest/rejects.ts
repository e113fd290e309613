import { compareText } from '../compare-text.js';

export type RejectReason = 'timestamp' | 'stakeholder' | 'weight' | 'column-count' | 'malformed' | 'day' | 'sums' | 'duplicate' | 'engine';

/** One row that could not be used, with everything needed to find and fix it. */
export interface RejectedRow {
  file: string;
  line: number;
  reason: RejectReason;
  field: string | null;
  message: string;
  raw: string;
}

export interface RejectExample {
  file: string;
  line: number;
  field: string | null;
  message: string;
}

export interface RejectReasonSummary {
  reason: RejectReason;
  count: number;
  examples: RejectExample[];
}

const EXAMPLES_PER_REASON = 3;

/** Counts by reason and keeps the first few examples of each (the rest go to --rejects). */
export class RejectTally {
  private readonly byReason = new Map<RejectReason, RejectReasonSummary>();
  total = 0;

  add(r: RejectedRow): void {
    this.total++;
    let s = this.byReason.get(r.reason);
    if (!s) {
      s = { reason: r.reason, count: 0, examples: [] };
      this.byReason.set(r.reason, s);
    }
    s.count++;
    if (s.examples.length < EXAMPLES_PER_REASON) {
      s.examples.push({ file: r.file, line: r.line, field: r.field, message: r.message });
    }
  }

  /** Rows rejected where no single row can be named (the DuckDB engine filters them in SQL). */
  addCount(reason: RejectReason, count: number): void {
    if (count <= 0) return;
    this.total += count;
    let s = this.byReason.get(reason);
    if (!s) {
      s = { reason, count: 0, examples: [] };
      this.byReason.set(reason, s);
    }
    s.count += count;
  }

  /** Most frequent reason first. */
  summary(): RejectReasonSummary[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || compareText(a.reason, b.reason));
  }
}
