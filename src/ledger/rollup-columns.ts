/**
 * Where a batch of rollup rows keeps its six sums (interactions, volume,
 * volume_sq, gap_count, gap_sum, gap_sum_sq), by column: sum j of row k is at
 * columns[j] * rows + k.
 *
 * In an unweighted rollup (what the generated queries give without
 * --weight-col) volume and volume_sq equal interactions on every row. A batch
 * whose rows all have that shape may keep the three in one column: four
 * columns instead of six, a third less memory for what the ledger keeps, what
 * the workers send and what DuckDB's typed chunks become. On the VM the
 * benchmarks run on, memory first touched costs about 2.5 ms of CPU a
 * megabyte (page faults), as much as reading it.
 */
const SEPARATE: readonly number[] = [0, 1, 2, 3, 4, 5];
const VOLUME_IS_COUNT: readonly number[] = [0, 0, 0, 1, 2, 3];

/** The column of each sum, for a batch that keeps volume and volume_sq apart or with interactions. */
export function sumColumns(volumeIsCount: boolean): readonly number[] {
  return volumeIsCount ? VOLUME_IS_COUNT : SEPARATE;
}

/**
 * Whether a volume and a sum of squares are the count itself, to the sign of a
 * zero (NaN is never): the rule for keeping one array or column for the three.
 */
export function sameAsCount(c: number, n: number, sq: number): boolean {
  return n === c && sq === c && (c !== 0 || (Object.is(n, c) && Object.is(sq, c)));
}

/** Whether sameAsCount holds for each of the first `rows` rows: the batch may then keep one column for the three. */
export function volumeIsCount(interactions: Float64Array, volume: Float64Array, volumeSq: Float64Array, rows: number): boolean {
  for (let k = 0; k < rows; k++) if (!sameAsCount(interactions[k], volume[k], volumeSq[k])) return false;
  return true;
}
