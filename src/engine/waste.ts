// The waste report's pure part: where a repository's cache bytes go. Every
// cache falls in exactly one class, the first that fits:
// - dead: its ref no longer exists (only when stale-ref facts are given);
// - superseded: a newer version of its key family was created on its ref
//   after it was last restored (versions.ts), so a prefix restore there never
//   picks it and nothing has asked for its exact key since;
// - never restored: last accessed when it was created, and created more than
//   a day ago;
// - live: the rest.
// It also ranks the key families by bytes, and forecasts from the bytes
// created in the last 7 days how many days are left until the size limit.
// No rendering here: the job summary and the CLI draw it.

import type { Cache } from './cache.js'
import { keyFamily } from './policy.js'
import { supersededBy } from './versions.js'

const DAY = 24 * 3_600_000

const WASTE_CLASSES = ['dead', 'superseded', 'never-restored', 'live'] as const
export type WasteClass = (typeof WASTE_CLASSES)[number]

/** A cache never restored counts as such once it is older than this. */
export const NEVER_RESTORED_AFTER_MS = DAY
/** The window the forecast reads the growth from. */
export const FORECAST_WINDOW_MS = 7 * DAY
const DEFAULT_TOP_FAMILIES = 10

export interface WasteFacts {
  /** full refs known to be dead; without it no cache is classed dead */
  readonly staleRefs?: ReadonlySet<string>
  /** the repository's size limit, bytes; without it there is no forecast of days */
  readonly sizeLimit?: number
}

export interface Amount {
  readonly count: number
  readonly bytes: number
  /** of the repository's bytes, 0..1 (0 when it holds none) */
  readonly share: number
}

interface FamilyAmount extends Amount {
  /** the key family (keyFamily) */
  readonly family: string
}

type Forecast =
  /** no limit among the facts */
  | {
      readonly status: 'unknown-limit'
      readonly createdBytes: number
      readonly bytesPerDay: number
    }
  /** at or over the limit already */
  | { readonly status: 'over'; readonly createdBytes: number; readonly bytesPerDay: number }
  /** nothing created in the window: no growth to extrapolate */
  | { readonly status: 'flat'; readonly createdBytes: number; readonly bytesPerDay: number }
  | {
      readonly status: 'growing'
      readonly createdBytes: number
      readonly bytesPerDay: number
      /** (limit - total) / bytesPerDay, in days (fractional) */
      readonly daysToLimit: number
    }

export interface WasteReport {
  readonly totalCount: number
  readonly totalBytes: number
  readonly classes: Readonly<Record<WasteClass, Amount>>
  /** false when no stale-ref facts were given, so nothing could be classed dead */
  readonly deadKnown: boolean
  /** the largest key families, largest first (ties by name) */
  readonly families: readonly FamilyAmount[]
  /** the families not listed, summed */
  readonly otherFamilies: Amount & { readonly families: number }
  readonly sizeLimit?: number
  /**
   * Linear: the bytes created in the last 7 days (of the caches still there)
   * over 7 days. It ignores what retention and eviction remove, so it is a
   * pessimistic reading of the growth.
   */
  readonly forecast: Forecast
}

/** The class of each cache, by input index. */
export function classifyWaste(
  caches: readonly Cache[],
  now: number,
  staleRefs?: ReadonlySet<string>
): WasteClass[] {
  const newestOf = supersededBy(caches)
  return caches.map((c, i) => {
    if (staleRefs?.has(c.ref)) return 'dead'
    if (newestOf[i] !== -1) return 'superseded'
    if (c.lastAccessedAt === c.createdAt && now - c.createdAt > NEVER_RESTORED_AFTER_MS) {
      return 'never-restored'
    }
    return 'live'
  })
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export function wasteReport(
  caches: readonly Cache[],
  now: number,
  facts: WasteFacts = {},
  top: number = DEFAULT_TOP_FAMILIES
): WasteReport {
  if (!Number.isFinite(now)) throw new Error(`waste: now must be a finite time, got ${now}`)
  if (!(Number.isSafeInteger(top) && top >= 0)) {
    throw new Error(`waste: top must be a whole number >= 0, got ${top}`)
  }
  const limit = facts.sizeLimit
  if (limit !== undefined && !(Number.isFinite(limit) && limit >= 0)) {
    throw new Error(`waste: sizeLimit must be a number of bytes, got ${limit}`)
  }
  const classOf = classifyWaste(caches, now, facts.staleRefs)
  let totalBytes = 0
  for (const c of caches) totalBytes += c.sizeInBytes
  const shareOf = (bytes: number): number => (totalBytes > 0 ? bytes / totalBytes : 0)

  const counts = new Map<WasteClass, { count: number; bytes: number }>(
    WASTE_CLASSES.map(k => [k, { count: 0, bytes: 0 }])
  )
  const families = new Map<string, { count: number; bytes: number }>()
  let createdBytes = 0
  caches.forEach((c, i) => {
    const k = counts.get(classOf[i]) as { count: number; bytes: number }
    k.count++
    k.bytes += c.sizeInBytes
    const family = keyFamily(c.key)
    const f = families.get(family) ?? { count: 0, bytes: 0 }
    f.count++
    f.bytes += c.sizeInBytes
    families.set(family, f)
    if (now - c.createdAt <= FORECAST_WINDOW_MS) createdBytes += c.sizeInBytes
  })

  const classes = Object.fromEntries(
    WASTE_CLASSES.map(k => {
      const { count, bytes } = counts.get(k) as { count: number; bytes: number }
      return [k, { count, bytes, share: shareOf(bytes) }]
    })
  ) as Record<WasteClass, Amount>

  const ranked = [...families]
    .map(([family, f]): FamilyAmount => ({ family, ...f, share: shareOf(f.bytes) }))
    .sort((a, b) => b.bytes - a.bytes || b.count - a.count || text(a.family, b.family))
  const shown = ranked.slice(0, top)
  const rest = ranked.slice(top)
  const restBytes = rest.reduce((s, f) => s + f.bytes, 0)

  const bytesPerDay = createdBytes / (FORECAST_WINDOW_MS / DAY)
  const forecast: Forecast =
    limit === undefined
      ? { status: 'unknown-limit', createdBytes, bytesPerDay }
      : totalBytes >= limit
        ? { status: 'over', createdBytes, bytesPerDay }
        : bytesPerDay === 0
          ? { status: 'flat', createdBytes, bytesPerDay }
          : {
              status: 'growing',
              createdBytes,
              bytesPerDay,
              daysToLimit: (limit - totalBytes) / bytesPerDay
            }

  return {
    totalCount: caches.length,
    totalBytes,
    classes,
    deadKnown: facts.staleRefs !== undefined,
    families: shown,
    otherFamilies: {
      families: rest.length,
      count: rest.reduce((s, f) => s + f.count, 0),
      bytes: restBytes,
      share: shareOf(restBytes)
    },
    ...(limit !== undefined ? { sizeLimit: limit } : {}),
    forecast
  }
}
