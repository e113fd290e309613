/** What every reader yields: the column list (again whenever it grows), records and malformed records. */
export type SourceItem =
  | { kind: 'columns'; columns: readonly string[] }
  | { kind: 'record'; line: number; values: readonly unknown[]; raw: string }
  | { kind: 'malformed'; line: number; reason: string; raw: string; endLine?: number };
