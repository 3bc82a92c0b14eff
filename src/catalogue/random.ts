/**
 * A small seeded generator (sfc32) so every derived field and generated review depends only
 * on the product id: the same file gives the same catalogue on every machine and every run.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  chance(probability: number): boolean
}

/** A generator seeded by a list of integers, e.g. `[productId, purpose]`. */
export function seededRandom(...seeds: number[]): Random {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = 1

  const next32 = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }

  for (const seed of seeds) {
    a ^= mix(seed)
    b ^= mix(seed + 0x632be5ab)
    for (let i = 0; i < 4; i++) next32()
  }
  for (let i = 0; i < 8; i++) next32()

  const next = () => next32() / 4294967296
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  }
}

/** Spreads the bits of an integer (murmur3's finaliser) so nearby seeds diverge. */
function mix(value: number): number {
  let h = (value | 0) ^ Math.floor(value / 4294967296)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
