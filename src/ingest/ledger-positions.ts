import type { Ledger } from '../ledger/ledger.js';

/**
 * Ledger positions of a parse worker's stakeholder ids (numbers into its
 * string table), so that after a stakeholder's first row a row or group from
 * that worker costs no lookup of the id's text.
 */
export class LedgerPositions {
  /** Per worker string table, positions by string id. */
  private readonly tables = new WeakMap<readonly string[], number[]>();
  private current: number[] = [];
  private strings: readonly string[] = [];
  /** Whether the last at() added the stakeholder to the ledger: the row at hand is its first. */
  added = false;

  constructor(private readonly ledger: Ledger) {}

  /** Turns to the string table of the batch at hand. */
  of(strings: readonly string[]): this {
    let positions = this.tables.get(strings);
    if (positions === undefined) this.tables.set(strings, (positions = []));
    this.current = positions;
    this.strings = strings;
    return this;
  }

  /** The ledger position of string id `id`, adding the stakeholder when new. */
  at(id: number): number {
    let s = this.current[id];
    if (s === undefined) {
      s = this.current[id] = this.ledger.stakeholderIndex(this.strings[id]);
      this.added = this.ledger.added;
    } else this.added = false;
    return s;
  }
}
