// Seeded, dependency-free pseudo-random numbers for the fixture generators.
//
// Core generator: sfc32 (Chris Doty-Humphrey's "Small Fast Counting" generator, 128-bit
// state, 32-bit output), seeded through splitmix32. The core uses only 32-bit integer
// arithmetic (Math.imul, >>> 0), so the raw stream is bit-identical on every platform.
// Helpers built on Math.log / Math.exp / Math.cos (poisson, normal, exponential) use V8's
// fdlibm ports, which give the same results on every platform for a given Node version.
//
// Usage:
//   import { createRng } from './lib/prng.mjs';
//   const rng = createRng(42);
//   rng.float(); rng.int(1, 6); rng.pick(['a', 'b']); rng.poisson(3.5);
//   const child = rng.fork('HCP-00042'); // independent stream, stable under reordering

const TWO_POW_32 = 4294967296;

/** 32-bit FNV-1a hash of a string (used to turn string seeds / labels into integers). */
export function hashString(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 step: returns [output, nextState]. */
function splitmix32(state) {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z = (z ^ (z >>> 16)) >>> 0;
  return [z, s];
}

function normaliseSeed(seed) {
  if (typeof seed === 'string') return hashString(seed);
  if (typeof seed === 'number' && Number.isFinite(seed)) {
    // Fold the full double-precision integer part (including values above 2^32) into 32 bits.
    const n = Math.trunc(Math.abs(seed));
    const lo = n % TWO_POW_32;
    const hi = Math.floor(n / TWO_POW_32) % TWO_POW_32;
    return (lo ^ Math.imul(hi, 0x9e3779b1) ^ (seed < 0 ? 0xa5a5a5a5 : 0)) >>> 0;
  }
  throw new TypeError(`seed must be a finite number or a string, got ${String(seed)}`);
}

// log(k!) for the PTRS Poisson sampler: exact table for small k, Stirling series beyond.
const LOG_FACT_TABLE = (() => {
  const t = new Float64Array(256);
  for (let k = 1; k < 256; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
})();
function logFactorial(k) {
  if (k < 256) return LOG_FACT_TABLE[k];
  const x = k + 1;
  // Stirling series for log Gamma(x)
  return (
    (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) +
    1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x * x * x * x * x)
  );
}

/**
 * Create a seeded generator. `seed` may be a number or a string.
 * All integer ranges are inclusive on both ends.
 */
export function createRng(seed = 42) {
  let s = normaliseSeed(seed);
  let a, b, c, d;
  [a, s] = splitmix32(s);
  [b, s] = splitmix32(s);
  [c, s] = splitmix32(s);
  [d, s] = splitmix32(s);
  const seedValue = normaliseSeed(seed);

  /** Next raw 32-bit unsigned integer (sfc32). */
  function nextUint32() {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  }
  // Warm up: the first outputs of sfc32 are weakly mixed.
  for (let i = 0; i < 12; i++) nextUint32();

  /** Uniform float in [0, 1) with 32 bits of resolution (fast). */
  function float() {
    return nextUint32() / TWO_POW_32;
  }

  /** Uniform float in [0, 1) with 53 bits of resolution. */
  function float53() {
    const hi = nextUint32() >>> 5; // 27 bits
    const lo = nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform float in [min, max). */
  function uniform(min = 0, max = 1) {
    return min + (max - min) * float();
  }

  /** Uniform integer in [min, max] (inclusive), unbiased (rejection sampling). */
  function int(min, max) {
    min = Math.ceil(min);
    max = Math.floor(max);
    if (max < min) throw new RangeError(`int(): empty range [${min}, ${max}]`);
    const range = max - min + 1;
    if (range > TWO_POW_32) return min + Math.floor(float53() * range);
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let x;
    do {
      x = nextUint32();
    } while (x >= limit);
    return min + (x % range);
  }

  /** true with probability p. */
  function bool(p = 0.5) {
    return float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  function pick(arr) {
    if (arr.length === 0) throw new RangeError('pick(): empty array');
    return arr[int(0, arr.length - 1)];
  }

  /** Index chosen with probability proportional to weights[i] (non-negative, sum > 0). */
  function weightedIndex(weights) {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) throw new RangeError('weightedIndex(): weights must sum to > 0');
    let r = float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    // Floating-point leftovers: return the last index with positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /**
   * Weighted pick. Either weightedPick(items, weights) or
   * weightedPick({ a: 3, b: 1 }) / weightedPick([[item, weight], ...]).
   */
  function weightedPick(items, weights) {
    if (weights !== undefined) return items[weightedIndex(weights)];
    const entries = Array.isArray(items) ? items : Object.entries(items);
    const idx = weightedIndex(entries.map((e) => e[1]));
    return entries[idx][0];
  }

  /** Standard normal via Box-Muller (no cached second value, so the stream stays simple). */
  function normal(mean = 0, sd = 1) {
    let u1;
    do {
      u1 = float53();
    } while (u1 === 0);
    const u2 = float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Exponential with the given rate (mean = 1 / rate). */
  function exponential(rate = 1) {
    let u;
    do {
      u = float53();
    } while (u === 0);
    return -Math.log(u) / rate;
  }

  /**
   * Poisson(lambda). Knuth's multiplication method for lambda < 30, Hörmann's PTRS
   * (transformed rejection with squeeze) above.
   */
  function poisson(lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = float53();
      while (p > limit) {
        k++;
        p *= float53();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const bb = 0.931 + 2.53 * slam;
    const aa = -0.059 + 0.02483 * bb;
    const invalpha = 1.1239 + 1.1328 / (bb - 3.4);
    const vr = 0.9277 - 3.6224 / (bb - 2);
    for (;;) {
      const U = float53() - 0.5;
      const V = float53();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * aa) / us + bb) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (
        Math.log(V) + Math.log(invalpha) - Math.log(aa / (us * us) + bb) <=
        -lambda + k * loglam - logFactorial(k)
      ) {
        return k;
      }
    }
  }

  /** In-place Fisher-Yates shuffle; returns the array. */
  function shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(0, i);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** k distinct integers from [min, max], sorted ascending. */
  function sampleDistinctInts(k, min, max) {
    const range = max - min + 1;
    if (k > range) throw new RangeError('sampleDistinctInts(): k exceeds range');
    const chosen = new Set();
    while (chosen.size < k) chosen.add(int(min, max));
    return [...chosen].sort((x, y) => x - y);
  }

  /**
   * An independent generator derived from this generator's seed and a label. Forks do not
   * consume from the parent stream, so per-entity streams stay stable when entities are
   * added, removed or reordered.
   */
  function fork(label) {
    return createRng((seedValue ^ Math.imul(hashString(String(label)), 0x9e3779b1)) >>> 0);
  }

  return {
    seed: seedValue,
    nextUint32,
    float,
    float53,
    uniform,
    int,
    bool,
    pick,
    weightedIndex,
    weightedPick,
    normal,
    exponential,
    poisson,
    shuffle,
    sampleDistinctInts,
    fork,
  };
}

export default createRng;
