// A workload: the JSON a user writes (workload.schema.json), validated with
// ajv and read once into a Workload with every default filled in and every
// unit converted (times in ms, sizes in bytes). Nothing else reads the JSON.

import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const MiB = 2 ** 20
/** GitHub's limits in GB are read as 2^30 bytes, as the usage report does. */
export const GiB = 2 ** 30

export type Trigger = 'push' | 'feature-push' | 'pull_request' | 'schedule' | 'weekly' | 'tag'
export type WorkloadTarget = 'fewest-rebuild-minutes' | 'deletes-next-to-nothing-restored'

export interface Range {
  readonly min: number
  readonly max: number
}

export interface Family {
  readonly name: string
  readonly keyPrefix: string
  readonly sizeBytes: number
  readonly sizeJitter: number
  readonly keyChangesPerWeek: number
  readonly keyPerRun: boolean
  readonly prKeyChangeShare: number
  readonly restoreKeys: readonly string[]
  readonly rebuildMinutes: number
  readonly partialRebuildMinutes: number
}

export interface Workflow {
  readonly name: string
  readonly on: readonly Trigger[]
  /** indexes into Workload.families */
  readonly families: readonly number[]
  readonly minutes: number
  /** schedule and weekly: ms after midnight */
  readonly atMs: number
  /** weekly: 0 Monday ... 6 Sunday */
  readonly weekday: number
}

export interface Burst {
  readonly everyDays: number
  readonly offsetDays: number
  readonly atMs: number
  readonly count: number
  readonly pushes: Range
  /** hours */
  readonly lifetimeHours: Range
  readonly mergedShare: number
  /** indexes into Workload.families */
  readonly changesKeys: readonly number[]
}

export interface ReleaseBranch {
  readonly name: string
  readonly pushesPerDay: number
  readonly keyChangesPerWeek: number
}

export interface Workload {
  readonly name: string
  readonly description: string
  readonly set: 'tuning' | 'held-out'
  readonly targets: readonly WorkloadTarget[]
  readonly days: number
  readonly warmupDays: number
  readonly defaultBranch: string
  readonly sizeLimitBytes: number
  readonly sizeLimitGb: number
  readonly retentionMs: number
  readonly pushesPerDay: number
  readonly pushWeekendFactor: number
  readonly pullRequests: {
    readonly perDay: number
    readonly weekendFactor: number
    readonly pushes: Range
    readonly lifetimeHours: Range
    readonly mergedShare: number
    readonly deleteBranchShare: number
    readonly bases: readonly { readonly branch: string; readonly weight: number }[]
    readonly bursts: readonly Burst[]
  }
  readonly reruns: { readonly share: number; readonly delayHours: Range }
  readonly releaseBranches: readonly ReleaseBranch[]
  readonly tagsPerWeek: number
  readonly workflows: readonly Workflow[]
  readonly families: readonly Family[]
}

export class WorkloadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WorkloadError'
  }
}

const schemaUrl = new URL('./workload.schema.json', import.meta.url)
let validator: ReturnType<Ajv['compile']> | undefined
function validate(value: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(
    JSON.parse(readFileSync(schemaUrl, 'utf8')) as object
  )
  if (validator(value)) return []
  return (validator.errors ?? []).map(
    e => `${e.instancePath || '(top)'} ${e.message ?? 'is not valid'}`
  )
}

// The JSON as the schema allows it (every optional field may be missing).
interface RangeJson {
  min: number
  max: number
}
interface WorkloadJson {
  name: string
  description: string
  set: 'tuning' | 'held-out'
  targets?: WorkloadTarget[]
  days?: number
  warmupDays?: number
  repository: { defaultBranch?: string; sizeLimitGb?: number; retentionDays?: number }
  defaultBranchPushes?: { perDay?: number; weekendFactor?: number }
  pullRequests?: {
    perDay?: number
    weekendFactor?: number
    pushes?: RangeJson
    lifetimeHours?: RangeJson
    mergedShare?: number
    deleteBranchShare?: number
    bases?: { branch: string; weight: number }[]
    bursts?: {
      everyDays: number
      offsetDays?: number
      hour?: number
      count: number
      pushes?: RangeJson
      lifetimeHours?: RangeJson
      mergedShare?: number
      changesKeys?: string[]
    }[]
  }
  reruns?: { share?: number; delayHours?: RangeJson }
  releaseBranches?: { name: string; pushesPerDay?: number; keyChangesPerWeek?: number }[]
  tags?: { perWeek?: number }
  workflows: {
    name: string
    on: Trigger[]
    families: string[]
    minutes?: number
    hour?: number
    weekday?: number
  }[]
  families: {
    name: string
    keyPrefix: string
    sizeMb: number
    sizeJitter?: number
    keyChangesPerWeek?: number
    keyPerRun?: boolean
    prKeyChangeShare?: number
    restoreKeys?: string[]
    rebuildMinutes: number
    partialRebuildMinutes?: number
  }[]
}

function checkRange(r: RangeJson, where: string, problems: string[]): Range {
  if (r.min > r.max) problems.push(`${where}: min ${r.min} is above max ${r.max}`)
  return { min: r.min, max: r.max }
}

/** Validates and reads a workload; `source` names it in errors. */
export function parseWorkload(value: unknown, source: string): Workload {
  const schemaProblems = validate(value)
  if (schemaProblems.length > 0) {
    throw new WorkloadError(`${source}: ${schemaProblems.join('; ')}`)
  }
  const w = value as WorkloadJson
  const problems: string[] = []
  const familyIndex = new Map<string, number>()
  w.families.forEach((f, i) => {
    if (familyIndex.has(f.name)) problems.push(`families: '${f.name}' is listed twice`)
    familyIndex.set(f.name, i)
  })
  const familyRefs = (names: readonly string[], where: string): number[] =>
    names.map(name => {
      const i = familyIndex.get(name)
      if (i === undefined) problems.push(`${where}: no family is named '${name}'`)
      return i ?? 0
    })
  const prefixes = new Set<string>()
  for (const f of w.families) {
    for (const other of prefixes) {
      if (f.keyPrefix.startsWith(other) || other.startsWith(f.keyPrefix)) {
        problems.push(`families: key prefixes '${other}' and '${f.keyPrefix}' overlap`)
      }
    }
    prefixes.add(f.keyPrefix)
  }

  const defaultBranch = w.repository.defaultBranch ?? 'main'
  const releaseBranches = (w.releaseBranches ?? []).map(r => ({
    name: r.name,
    pushesPerDay: r.pushesPerDay ?? 0,
    keyChangesPerWeek: r.keyChangesPerWeek ?? 0.1
  }))
  const branches = new Set([defaultBranch, ...releaseBranches.map(r => r.name)])
  if (branches.size !== releaseBranches.length + 1) {
    problems.push('releaseBranches: names must differ from each other and from the default branch')
  }
  const pr = w.pullRequests ?? {}
  const bases = pr.bases ?? [{ branch: defaultBranch, weight: 1 }]
  for (const b of bases) {
    if (!branches.has(b.branch)) {
      problems.push(`pullRequests.bases: '${b.branch}' is neither the default nor a release branch`)
    }
  }
  const pushes = checkRange(pr.pushes ?? { min: 1, max: 4 }, 'pullRequests.pushes', problems)
  if (pushes.min < 1) problems.push('pullRequests.pushes: a pull request has at least one push')
  const lifetimeHours = checkRange(
    pr.lifetimeHours ?? { min: 1, max: 72 },
    'pullRequests.lifetimeHours',
    problems
  )
  const mergedShare = pr.mergedShare ?? 0.85
  const bursts = (pr.bursts ?? []).map((b, i): Burst => {
    const where = `pullRequests.bursts[${i}]`
    const burstPushes = checkRange(b.pushes ?? pushes, `${where}.pushes`, problems)
    if (burstPushes.min < 1) problems.push(`${where}.pushes: a pull request has at least one push`)
    return {
      everyDays: b.everyDays,
      offsetDays: b.offsetDays ?? 0,
      atMs: (b.hour ?? 5) * HOUR,
      count: b.count,
      pushes: burstPushes,
      lifetimeHours: checkRange(
        b.lifetimeHours ?? lifetimeHours,
        `${where}.lifetimeHours`,
        problems
      ),
      mergedShare: b.mergedShare ?? mergedShare,
      changesKeys: familyRefs(b.changesKeys ?? [], `${where}.changesKeys`)
    }
  })
  const workflows = w.workflows.map((f, i): Workflow => ({
    name: f.name,
    on: f.on,
    families: familyRefs(f.families, `workflows[${i}].families`),
    minutes: f.minutes ?? 10,
    atMs: (f.hour ?? 2) * HOUR,
    weekday: f.weekday ?? 6
  }))
  const reruns = {
    share: w.reruns?.share ?? 0,
    delayHours: checkRange(
      w.reruns?.delayHours ?? { min: 0.25, max: 24 },
      'reruns.delayHours',
      problems
    )
  }
  const days = w.days ?? 35
  const warmupDays = w.warmupDays ?? 7
  if (warmupDays >= days)
    problems.push(`warmupDays ${warmupDays} leaves no day of the ${days} to measure`)
  if (problems.length > 0) throw new WorkloadError(`${source}: ${problems.join('; ')}`)

  const sizeLimitGb = w.repository.sizeLimitGb ?? 10
  return {
    name: w.name,
    description: w.description,
    set: w.set,
    targets: w.targets ?? [],
    days,
    warmupDays,
    defaultBranch,
    sizeLimitGb,
    sizeLimitBytes: Math.round(sizeLimitGb * GiB),
    retentionMs: (w.repository.retentionDays ?? 7) * DAY,
    pushesPerDay: w.defaultBranchPushes?.perDay ?? 0,
    pushWeekendFactor: w.defaultBranchPushes?.weekendFactor ?? 0.2,
    pullRequests: {
      perDay: pr.perDay ?? 0,
      weekendFactor: pr.weekendFactor ?? 0.2,
      pushes,
      lifetimeHours,
      mergedShare,
      deleteBranchShare: pr.deleteBranchShare ?? 0.9,
      bases,
      bursts
    },
    reruns,
    releaseBranches,
    tagsPerWeek: w.tags?.perWeek ?? 0,
    workflows,
    families: w.families.map(f => ({
      name: f.name,
      keyPrefix: f.keyPrefix,
      sizeBytes: Math.round(f.sizeMb * MiB),
      sizeJitter: f.sizeJitter ?? 0.1,
      keyChangesPerWeek: f.keyChangesPerWeek ?? 1,
      keyPerRun: f.keyPerRun ?? false,
      prKeyChangeShare: f.prKeyChangeShare ?? 0.05,
      restoreKeys: f.restoreKeys ?? [f.keyPrefix],
      rebuildMinutes: f.rebuildMinutes,
      partialRebuildMinutes: f.partialRebuildMinutes ?? f.rebuildMinutes / 4
    }))
  }
}

/** Reads and validates a workload file. */
export function readWorkload(path: string): Workload {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new WorkloadError(`${path}: cannot read it (${(error as Error).message})`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new WorkloadError(`${path}: is not valid JSON (${(error as Error).message})`)
  }
  return parseWorkload(value, path)
}
