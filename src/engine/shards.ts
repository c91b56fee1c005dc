// An organization's repositories split into shards of similar total size, one
// shard per job of a matrix (`command: usage` with `org` gives them as the
// `repository-shards` output). Pure and deterministic.
//
// The rule is the greedy "largest first, into the lightest shard" (LPT). Two
// bounds follow from it and are checked by the property tests:
// - no shard exceeds the lightest by more than the largest repository: the
//   shard that receives a repository is the lightest, so a gap can only come
//   from one repository added on top of the minimum;
// - the heaviest shard is at most 4/3 - 1/(3k) times the best split possible
//   (Graham, 1969), with k the number of shards.

import { InputError } from './errors.js'
import { Input, MAX_SHARDS, type InputGetter } from './inputs.js'
import { parseCount } from './parse.js'
import { rankRepositories, type RepoUsage, type Shard } from './usage.js'

/**
 * GitHub's limit on a job's outputs: 1 MB, "approximated based on UTF-16
 * encoding", so two bytes a character. The smaller reading of "1 MB".
 */
export const JOB_OUTPUT_LIMIT_BYTES = 1_000_000

/**
 * Splits `repos` into at most `shards` shards (never more than there are
 * repositories, never an empty one) of similar total size. The result does
 * not depend on the order of `repos`.
 */
export function balanceShards(repos: readonly RepoUsage[], shards: number): Shard[] {
  if (!Number.isInteger(shards) || shards < 1) {
    throw new RangeError(`shards must be a whole number, at least 1 (got ${shards})`)
  }
  const k = Math.min(shards, repos.length)
  const bins = Array.from({ length: k }, () => ({
    repositories: [] as RepoUsage[],
    sizeInBytes: 0,
    count: 0
  }))
  for (const repo of rankRepositories(repos)) {
    // The lightest shard; among equals the one with fewer repositories, then
    // the first, so repositories without bytes still spread out.
    let at = 0
    for (let i = 1; i < k; i++) {
      const a = bins[i]
      const b = bins[at]
      if (
        a.sizeInBytes < b.sizeInBytes ||
        (a.sizeInBytes === b.sizeInBytes && a.repositories.length < b.repositories.length)
      ) {
        at = i
      }
    }
    const bin = bins[at]
    bin.repositories.push(repo)
    bin.sizeInBytes += repo.sizeInBytes
    bin.count += repo.count
  }
  return bins.map((bin, i) => ({ shard: i + 1, ...bin }))
}

/** The `shards` input: 1 to 256, default 256. */
export function readShards(get: InputGetter): number {
  const n = parseCount(get(Input.Shards), Input.Shards, { min: 1 }) ?? MAX_SHARDS
  if (n > MAX_SHARDS) {
    throw new InputError(
      Input.Shards,
      `'${n}' is more than a job matrix holds: at most ${MAX_SHARDS} jobs, so at most ${MAX_SHARDS} shards`
    )
  }
  return n
}

/**
 * The shards as `strategy.matrix` takes them through `fromJSON`: one object
 * per shard, its repositories one `owner/name` a line, ready for the
 * `repository` input. Compact JSON: the output counts against the job's 1 MB.
 */
export function shardsJson(shards: readonly Shard[]): string {
  return JSON.stringify(
    shards.map(s => ({
      shard: s.shard,
      repositories: s.repositories.map(r => r.fullName).join('\n'),
      bytes: s.sizeInBytes
    }))
  )
}

/** What a text weighs against a job's output limit: two bytes per UTF-16 code unit. */
export const utf16Bytes = (text: string): number => 2 * text.length
