// What `delete <id|key>...` names, and which caches that is. Pure. A word of
// digits is a cache id (as gh reads it); anything else is a cache key, matched
// exactly and in its case: the API's key filter matches prefixes (and maybe
// ignores case), and a delete by key has been seen removing prefix matches, so
// a key is resolved to ids from a listing and only those ids are deleted.

import type { Cache } from './cache.js'
import { InputError } from './errors.js'
import type { Decision } from './policy.js'

export type DeleteTarget =
  { readonly kind: 'id'; readonly id: number } | { readonly kind: 'key'; readonly key: string }

/** delete's `targets` input: a JSON array of its words (empty: none). */
export function readTargetWords(text: string, input: string): string[] {
  if (text.trim() === '') return []
  let words: unknown
  try {
    words = JSON.parse(text)
  } catch {
    words = undefined
  }
  if (!Array.isArray(words) || !words.every(w => typeof w === 'string')) {
    throw new InputError(input, 'is not a JSON array of cache ids and keys')
  }
  return words
}

/** The arguments of delete, in order, without repeats; an id must be a positive safe integer. */
export function parseDeleteTargets(words: readonly string[], input: string): DeleteTarget[] {
  const targets: DeleteTarget[] = []
  const seen = new Set<string>()
  for (const word of words) {
    if (word === '') continue
    if (/^\d+$/.test(word)) {
      const id = Number(word)
      if (!Number.isSafeInteger(id) || id < 1) {
        throw new InputError(input, `'${word}' is not a cache id: ids are whole numbers from 1`)
      }
      if (seen.has(`#${id}`)) continue
      seen.add(`#${id}`)
      targets.push({ kind: 'id', id })
    } else {
      if (seen.has(`k${word}`)) continue
      seen.add(`k${word}`)
      targets.push({ kind: 'key', key: word })
    }
  }
  return targets
}

/** The key prefix a listing must cover to find every key named (their common prefix, maybe ''). */
export function commonKeyPrefix(keys: readonly string[]): string {
  if (keys.length === 0) return ''
  let prefix = keys[0]
  for (const key of keys) {
    let i = 0
    while (i < prefix.length && i < key.length && prefix[i] === key[i]) i++
    prefix = prefix.slice(0, i)
  }
  return prefix
}

export interface DeleteSelection {
  /** what will be deleted, in the order named (a key's caches oldest first) */
  readonly decisions: readonly Decision[]
  /** the arguments that named nothing (for ids: only known in a dry run, where ids are looked up) */
  readonly notFound: readonly string[]
}

const placeholder = (id: number): Cache => ({
  id,
  ref: '',
  key: '',
  version: '',
  sizeInBytes: 0,
  lastAccessedAt: 0,
  createdAt: 0
})

export interface SelectOptions {
  /** only caches on this ref (keys and --all) */
  readonly ref?: string
  /** every listed cache (on `ref`) */
  readonly all?: boolean
  /**
   * whether `listed` is complete enough to say an id does not exist (a dry
   * run lists to look ids up; a real run deletes ids without listing)
   */
  readonly idsListed: boolean
}

/**
 * The caches `targets` name among `listed`. A key names the caches whose key
 * is exactly it (on `ref` when given); an id names its cache (or, when ids
 * were not looked up, a cache known only by its id).
 */
export function selectForDelete(
  targets: readonly DeleteTarget[],
  listed: readonly Cache[],
  options: SelectOptions
): DeleteSelection {
  const onRef = (c: Cache): boolean => options.ref === undefined || c.ref === options.ref
  const byId = new Map(listed.map(c => [c.id, c]))
  const chosen = new Map<number, Decision>()
  const notFound: string[] = []
  const oldestFirst = (a: Cache, b: Cache): number => a.createdAt - b.createdAt || a.id - b.id
  const add = (cache: Cache, detail: string): void => {
    if (!chosen.has(cache.id)) {
      chosen.set(cache.id, { cache, delete: true, reason: 'matched', detail })
    }
  }
  if (options.all) {
    for (const c of [...listed].filter(onRef).sort(oldestFirst)) {
      add(c, options.ref ? `every cache on ${options.ref} (--all)` : 'every cache (--all)')
    }
  }
  for (const target of targets) {
    if (target.kind === 'id') {
      const known = byId.get(target.id)
      if (known) add(known, `id ${target.id}`)
      else if (options.idsListed) notFound.push(String(target.id))
      else add(placeholder(target.id), `id ${target.id}`)
      continue
    }
    const matches = listed.filter(c => c.key === target.key && onRef(c)).sort(oldestFirst)
    if (matches.length === 0) notFound.push(target.key)
    for (const c of matches) add(c, `key ${target.key}${options.ref ? ` on ${options.ref}` : ''}`)
  }
  return { decisions: [...chosen.values()], notFound }
}
