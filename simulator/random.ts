// Seeded randomness for the generator, and stable hashes for what must not
// depend on the order things are drawn in (cache keys and sizes). The PRNG is
// the fake API's mulberry32: the same seed always gives the same workload.

import { mulberry32, type Rng } from '../testing/fake/seed.js'

export type { Rng }

export const rngFor = (seed: number, salt: string): Rng => mulberry32((seed ^ hash32(salt)) >>> 0)

/** FNV-1a, 32 bits. */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** 16 hex digits that stand for `text` (two FNV-1a hashes with different bases). */
export function hex16(text: string): string {
  const a = hash32(text).toString(16).padStart(8, '0')
  const b = hash32(text, 0x2545f491).toString(16).padStart(8, '0')
  return a + b
}

/** A float in [0, 1) that depends only on `text`. */
export const unitOf = (text: string): number => hash32(text, 0x9e3779b9) / 4294967296

export const uniform = (rng: Rng, min: number, max: number): number => min + rng() * (max - min)

export const intBetween = (rng: Rng, min: number, max: number): number =>
  min + Math.floor(rng() * (max - min + 1))

/** Log-uniform in [min, max]: as many between 1 and 10 hours as between 10 and 100. */
export function logUniform(rng: Rng, min: number, max: number): number {
  if (min === max) return min
  return Math.exp(uniform(rng, Math.log(min), Math.log(max)))
}

/** Poisson-distributed count with the given mean (Knuth's method; means here are small). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k++
    p *= rng()
  }
  return k
}

function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** The times of a Poisson process of `perDay` events a day over [0, endMs). */
export function poissonTimes(rng: Rng, perDay: number, endMs: number, dayMs: number): number[] {
  const out: number[] = []
  if (perDay <= 0) return out
  const meanGap = dayMs / perDay
  for (let t = -Math.log(1 - rng()) * meanGap; t < endMs; t += -Math.log(1 - rng()) * meanGap) {
    out.push(t)
  }
  return out
}

export function pickWeighted<T extends { readonly weight: number }>(
  rng: Rng,
  items: readonly T[]
): T {
  const total = items.reduce((s, i) => s + i.weight, 0)
  let x = rng() * total
  for (const item of items) {
    x -= item.weight
    if (x < 0) return item
  }
  return items[items.length - 1]
}
