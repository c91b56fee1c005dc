// The delete command (the command line's `delete`, as `gh cache delete`):
// caches named by id, by exact key (narrowed by --ref), or --all of them
// (on --ref). A key is resolved to ids from a listing, so a server whose
// delete-by-key matches prefixes cannot take more than was named; every
// deletion is by id, through the executor the prune command uses (pacing,
// budget, 404 as already gone, one failure as data).

import { fullName, type Cache } from '../../engine/cache.js'
import {
  parseDeleteTargets,
  readTargetWords,
  selectForDelete,
  type DeleteTarget
} from '../../engine/delete-targets.js'
import { visible } from '../../engine/format.js'
import {
  CliInput,
  DEFAULT_DELETES_PER_MINUTE,
  Input,
  readReserve,
  readToken,
  type InputGetter
} from '../../engine/inputs.js'
import { InputError } from '../../engine/errors.js'
import { parseBoolean, parseCount, parseDuration, parseRepository } from '../../engine/parse.js'
import { branchRef } from '../../engine/versions.js'
import { createClient } from '../../github/client.js'
import { MAX_IN_FLIGHT, StopError } from '../../github/ports.js'
import { execute, type Execution, type Item } from '../../run/executor.js'
import { listCaches, type ListScope, type Listing } from '../../run/listing.js'
import type { CommandContext } from '../context.js'
import { clientRuntime, watchedCacheApi } from '../interrupt.js'
import { explainApiError } from '../messages.js'
import type { Notice, Outcome } from '../outcome.js'
import { mayHaveApplied, mayHaveAppliedNote } from '../prune/tally.js'

export interface DeleteReport {
  readonly repository: string
  readonly dryRun: boolean
  readonly all: boolean
  readonly ref?: string
  /** one per cache named, with what became of it */
  readonly items: readonly Item[]
  /** ids and keys that named no cache */
  readonly notFound: readonly string[]
  readonly stopped?: StopError
  /** list requests made to resolve keys (and, in a dry run, ids) */
  readonly listRequests: number
}

interface DeleteInputs {
  readonly token: string
  readonly repo: { owner: string; repo: string }
  readonly targets: readonly DeleteTarget[]
  readonly all: boolean
  readonly ref?: string
  readonly succeedOnNoCaches: boolean
  readonly dryRun: boolean
  readonly reserve: number
  readonly deletesPerMinute: number
  readonly deadlineMs?: number
}

function readDeleteInputs(get: InputGetter): DeleteInputs {
  const token = readToken(get)
  const repo = parseRepository(get(Input.Repository), Input.Repository)
  const targets = parseDeleteTargets(
    readTargetWords(get(CliInput.Targets), CliInput.Targets),
    CliInput.Targets
  )
  const all = parseBoolean(get(CliInput.All), CliInput.All, false)
  const succeedOnNoCaches = parseBoolean(
    get(CliInput.SucceedOnNoCaches),
    CliInput.SucceedOnNoCaches,
    false
  )
  const refText = get(CliInput.Ref).trim()
  const ref = refText !== '' ? branchRef(refText) : undefined
  if (all && targets.length > 0) {
    throw new InputError(CliInput.All, 'and cache ids or keys are both given; give one of them')
  }
  if (!all && targets.length === 0) {
    throw new InputError(
      CliInput.Targets,
      'name the caches to delete: cache ids or keys, or --all (with --ref for one ref)'
    )
  }
  if (succeedOnNoCaches && !all) {
    throw new InputError(CliInput.SucceedOnNoCaches, 'goes with --all')
  }
  const id = targets.find(t => t.kind === 'id')
  if (ref !== undefined && id) {
    throw new InputError(
      CliInput.Ref,
      `narrows keys and --all, and cache id ${id.id} names one cache already; leave out --ref, or name the cache by its key`
    )
  }
  const deletesPerMinute =
    parseCount(get(Input.DeletesPerMinute), Input.DeletesPerMinute, { min: 1 }) ??
    DEFAULT_DELETES_PER_MINUTE
  const deadlineMs = parseDuration(get(Input.Deadline), Input.Deadline)
  return {
    token,
    repo,
    targets,
    all,
    ...(ref !== undefined ? { ref } : {}),
    succeedOnNoCaches,
    dryRun: parseBoolean(get(Input.DryRun), Input.DryRun, false),
    reserve: readReserve(get),
    deletesPerMinute: Math.min(deletesPerMinute, 180),
    ...(deadlineMs !== undefined ? { deadlineMs } : {})
  }
}

/**
 * What must be listed: each key (its prefix, on the ref), or every cache on
 * the ref for --all; in a dry run with ids, the whole repository, so the
 * report can say which ids exist. Nothing for ids alone in a real run.
 */
function scopesFor(inputs: DeleteInputs): ListScope[] {
  const hasId = inputs.targets.some(t => t.kind === 'id')
  const ref = inputs.ref !== undefined ? { ref: inputs.ref } : {}
  if ((inputs.dryRun && hasId) || (inputs.all && inputs.ref === undefined)) return [{}]
  if (inputs.all) return [ref]
  return inputs.targets.flatMap(t => (t.kind === 'key' ? [{ ...ref, keyPrefix: t.key }] : []))
}

export async function runDelete(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<DeleteReport>> {
  const { ui } = context
  const inputs = readDeleteInputs(get)
  const { repo } = inputs
  const repository = fullName(repo)
  const client = createClient({
    token: inputs.token,
    apiUrl: context.apiUrl,
    runtime: clientRuntime(context),
    reserve: inputs.reserve,
    deletesPerMinute: inputs.deletesPerMinute,
    ...(inputs.deadlineMs !== undefined ? { deadline: context.started + inputs.deadlineMs } : {}),
    onEvent: context.onEvent
  })
  let total = 0
  let answered = 0
  const api = watchedCacheApi(client.caches, {
    ...(context.signal ? { signal: context.signal } : {}),
    onDeleteAnswered: () => {
      answered++
      ui.progress('deleted', answered, total)
    }
  })

  const scopes = scopesFor(inputs)
  let listing: Listing | undefined
  if (scopes.length > 0) {
    try {
      listing = await ui.group(`Listing caches of ${repository}`, async () => {
        const result = await listCaches(api, repo, scopes, {
          onPage: (_scope, _page, listed, count) => {
            if (context.listingProgress) ui.progress('listing', Math.min(listed, count), count)
          }
        })
        ui.info(`listed ${result.caches.length} caches with ${result.requests} requests`)
        return result
      })
    } catch (error) {
      if (error instanceof StopError) {
        return stoppedEarly(inputs, repository, error)
      }
      throw error
    }
  }
  const wholeRepository = scopes.length === 1 && scopes[0].ref === undefined && !scopes[0].keyPrefix
  const selection = selectForDelete(inputs.targets, listing?.caches ?? [], {
    ...(inputs.ref !== undefined ? { ref: inputs.ref } : {}),
    all: inputs.all,
    idsListed: wholeRepository
  })
  for (const d of selection.decisions) {
    if (inputs.dryRun) {
      ui.debug(
        `cache ${d.cache.id} ${visible(d.cache.key)} on ${visible(d.cache.ref)}: would delete (${visible(d.detail)})`
      )
    }
  }
  total = selection.decisions.length
  const execution: Execution = await ui.group(
    inputs.dryRun ? 'Deleting (dry run: nothing is deleted)' : 'Deleting',
    () =>
      execute(api, repo, selection.decisions, listing ?? { caches: [], scopes: [] }, {
        dryRun: inputs.dryRun,
        concurrency: MAX_IN_FLIGHT,
        deleteByKey: false
      })
  )
  // an id deleted without listing that answers 404 named no cache (gh: "could not find")
  const missingIds = execution.items
    .filter(i => i.decision.cache.key === '' && i.outcome.status === 'already-gone')
    .map(i => String(i.decision.cache.id))
  const items = execution.items.filter(i => !missingIds.includes(String(i.decision.cache.id)))
  const report: DeleteReport = {
    repository,
    dryRun: inputs.dryRun,
    all: inputs.all,
    ...(inputs.ref !== undefined ? { ref: inputs.ref } : {}),
    items,
    notFound: [...selection.notFound, ...missingIds],
    ...(execution.stopped ? { stopped: execution.stopped } : {}),
    listRequests: listing?.requests ?? 0
  }
  return {
    report,
    outputs: deleteOutputs(report),
    log: { lines: [] },
    notices: deleteVerdict(report, inputs, execution)
  }
}

function stoppedEarly(
  inputs: DeleteInputs,
  repository: string,
  error: StopError
): Outcome<DeleteReport> {
  const report: DeleteReport = {
    repository,
    dryRun: inputs.dryRun,
    all: inputs.all,
    ...(inputs.ref !== undefined ? { ref: inputs.ref } : {}),
    items: [],
    notFound: [],
    stopped: error,
    listRequests: 0
  }
  return {
    report,
    outputs: deleteOutputs(report),
    log: { lines: [] },
    notices: [
      {
        level: 'warning',
        message: `Stopped before anything was deleted: ${visible(error.message)}.`,
        stopped: true
      }
    ]
  }
}

const count = (items: readonly Item[], status: Item['outcome']['status']): Item[] =>
  items.filter(i => i.outcome.status === status)

/** The counts, what was deleted and what was not found, for --json. */
function deleteOutputs(r: DeleteReport): Record<string, string> {
  const deleted = r.items.filter(
    i => i.outcome.status === 'deleted' || i.outcome.status === 'would-delete'
  )
  const cacheOf = (c: Cache): Record<string, unknown> => ({
    id: c.id,
    key: c.key,
    ref: c.ref,
    size_in_bytes: c.sizeInBytes
  })
  return {
    'deleted-count': String(deleted.length),
    'deleted-bytes': String(deleted.reduce((n, i) => n + i.decision.cache.sizeInBytes, 0)),
    'already-gone-count': String(count(r.items, 'already-gone').length),
    'failed-count': String(count(r.items, 'failed').length),
    'pending-count': String(count(r.items, 'pending').length),
    'not-found': JSON.stringify(r.notFound),
    deleted: JSON.stringify(deleted.map(i => cacheOf(i.decision.cache))),
    pending: JSON.stringify(count(r.items, 'pending').map(i => cacheOf(i.decision.cache)))
  }
}

function deleteVerdict(r: DeleteReport, inputs: DeleteInputs, execution: Execution): Notice[] {
  const notices: Notice[] = []
  if (inputs.all && r.items.length === 0 && !r.stopped) {
    const where = inputs.ref ? ` on ${visible(inputs.ref)}` : ''
    notices.push({
      level: inputs.succeedOnNoCaches ? 'info' : 'error',
      message: `No caches to delete in ${r.repository}${where}.`
    })
  }
  for (const name of r.notFound) {
    notices.push({
      level: 'error',
      message: `Could not find a cache matching ${visible(name)} in ${r.repository}${inputs.ref ? ` on ${visible(inputs.ref)}` : ''}.`
    })
  }
  const failed = count(r.items, 'failed')
  if (failed.length > 0) {
    const lines = failed.slice(0, 10).map(i => {
      const o = i.outcome as { error: string }
      return `  - cache ${i.decision.cache.id} ${visible(i.decision.cache.key)}: ${visible(o.error)}`
    })
    const more = failed.length > 10 ? `\n  … and ${failed.length - 10} more` : ''
    const hint = execution.denied ? `\n${explainApiError(execution.denied)}` : ''
    notices.push({
      level: 'error',
      message: `${failed.length} of ${r.items.length} caches could not be deleted:\n${lines.join('\n')}${more}${hint}`
    })
  }
  if (r.stopped) {
    const pending = count(r.items, 'pending').length
    notices.push({
      level: 'warning',
      message: `Stopped early: ${visible(r.stopped.message)}. ${pending} caches were not deleted; run the command again to delete them.${mayHaveAppliedNote(mayHaveApplied(r.items))}`,
      stopped: true
    })
  }
  return notices
}
