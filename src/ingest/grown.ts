/** A copy of a's first `keep` entries in a new array of `cap`. */
export function grown(a: Int32Array, cap: number, keep: number): Int32Array<ArrayBuffer>;
export function grown(a: Float64Array, cap: number, keep: number): Float64Array<ArrayBuffer>;
export function grown(a: Uint32Array, cap: number, keep: number): Uint32Array<ArrayBuffer>;
export function grown(a: Int32Array | Float64Array | Uint32Array, cap: number, keep: number): Int32Array | Float64Array | Uint32Array {
  const out = new (a.constructor as new (n: number) => Int32Array | Float64Array | Uint32Array)(cap);
  out.set(a.subarray(0, keep));
  return out;
}
