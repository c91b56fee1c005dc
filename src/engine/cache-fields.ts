// The fields of a cache as `list --json` prints them: gh's names
// (`gh cache list --json`), so a script written for gh reads ours. Pure.

import type { Cache } from './cache.js'
import { InputError } from './errors.js'

export const CACHE_FIELDS = [
  'createdAt',
  'id',
  'key',
  'lastAccessedAt',
  'ref',
  'sizeInBytes',
  'version'
] as const

export type CacheField = (typeof CACHE_FIELDS)[number]

const isField = (name: string): name is CacheField =>
  (CACHE_FIELDS as readonly string[]).includes(name)

/** `id,key,ref` (spaces allowed after commas); empty means every field. */
export function parseCacheFields(text: string, input: string): CacheField[] {
  const names = text
    .split(',')
    .map(n => n.trim())
    .filter(n => n !== '')
  if (names.length === 0) return [...CACHE_FIELDS]
  const unknown = names.filter(n => !isField(n))
  if (unknown.length > 0) {
    throw new InputError(
      input,
      `unknown JSON field ${unknown.map(n => `'${n}'`).join(', ')}; the fields are ${CACHE_FIELDS.join(', ')}`
    )
  }
  return [...new Set(names as CacheField[])]
}

/** An instant as the API writes it: RFC 3339 in UTC, without a fraction of zero. */
const isoTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** One cache as a JSON object of the given fields, in the order given. */
export function cacheJson(cache: Cache, fields: readonly CacheField[]): Record<string, unknown> {
  const all: Record<CacheField, unknown> = {
    createdAt: isoTime(cache.createdAt),
    id: cache.id,
    key: cache.key,
    lastAccessedAt: isoTime(cache.lastAccessedAt),
    ref: cache.ref,
    sizeInBytes: cache.sizeInBytes,
    version: cache.version
  }
  return Object.fromEntries(fields.map(f => [f, all[f]]))
}
