/**
 * A small seeded pseudo-random generator (sfc32), so a demo organization is the same every time
 * for the same seed. Not for anything secret.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** 32 random bits. */
  bits(): number;
}

function hashSeed(seed: string): [number, number, number, number] {
  // cyrb128: spreads any seed text over four 32-bit words.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export function createRng(seed: string | number): Rng {
  let [a, b, c, d] = hashSeed(String(seed));
  const bits = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) bits();
  const next = () => bits() / 4294967296;
  return {
    next,
    bits,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (values) => values[Math.floor(next() * values.length)]!,
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * UUIDv7-shaped ids made from the generator: a millisecond clock that starts at `startMs` and ticks
 * once per id (so ids sort in creation order, as real v7 ids do), then random bits.
 */
export function createIdFactory(rng: Rng, startMs: number): () => string {
  let ms = startMs;
  return () => {
    ms += 1;
    const time = hex(ms, 12);
    const r1 = rng.bits();
    const r2 = rng.bits();
    const r3 = rng.bits();
    const randA = hex(r1 & 0xfff, 3);
    const variant = hex(0x8000 | ((r1 >>> 12) & 0x3fff), 4);
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randA}-${variant}-${hex(r2, 8)}${hex(r3 & 0xffff, 4)}`;
  };
}
