// The usage command: reads the cache usage of a repository, an organization
// or an enterprise and reports it as outputs, a log table and a job summary.
// Also home to the two helpers the limits command shares: reading the target
// from the inputs and building the admin client.

import * as core from '@actions/core'
import { ApiError } from './api.js'
import { detectFamily, GitHubAdminApi, type AdminTarget, type ApiFamily } from './admin-api.js'
import { InputError } from './errors.js'
import { createOctokit } from './github.js'
import { defaultGovernorOptions, Governor, StopError } from './governor.js'
import { Input, type InputName } from './inputs.js'
import { parseCount, parseRepository } from './parse.js'
import { logGovernorEvent } from './prune-command.js'
import type { RunEnvironment } from './runtime.js'
import {
  collectUsage,
  DEFAULT_TOP,
  renderUsageSummary,
  renderUsageText,
  usageOutputs
} from './usage.js'

export type Getter = (name: InputName) => string

// Organization logins: letters, digits and single hyphens; enterprise slugs
// the same. Checked loosely (no length rule beyond 100) to name the input early.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?$/

function readName(get: Getter, input: InputName): string | undefined {
  const t = get(input).trim()
  if (t === '') return undefined
  if (!OWNER.test(t)) {
    throw new InputError(
      input,
      `'${t}' is not a name: letters, digits, '-', '_' and '.' only, like 'octo-org'`
    )
  }
  return t
}

/** `enterprise`, else `org`, else `repository`; setting both `org` and `enterprise` is a mistake. */
export function readTarget(get: Getter): AdminTarget {
  const org = readName(get, Input.Org)
  const enterprise = readName(get, Input.Enterprise)
  if (org && enterprise) {
    throw new InputError(
      Input.Enterprise,
      `and 'org' are both set; set one (org: ${org}, enterprise: ${enterprise})`
    )
  }
  if (enterprise) return { kind: 'enterprise', enterprise }
  if (org) return { kind: 'org', org }
  const repo = parseRepository(get(Input.Repository), Input.Repository)
  return { kind: 'repo', owner: repo.owner, repo: repo.repo }
}

export function readToken(get: Getter): string {
  const token = get(Input.Token).trim()
  if (token === '') {
    throw new InputError(Input.Token, 'is empty; pass a token, for example ${{ github.token }}')
  }
  return token
}

export interface AdminClient {
  readonly admin: GitHubAdminApi
  readonly governor: Governor
  readonly family: ApiFamily
}

export function adminClient(runtime: RunEnvironment, token: string, reserve: number): AdminClient {
  const baseUrl = runtime.env.GITHUB_API_URL || 'https://api.github.com'
  const governor = new Governor({
    ...defaultGovernorOptions(runtime.clock),
    timeoutMs: runtime.timeoutMs,
    reserve,
    onEvent: logGovernorEvent
  })
  return {
    admin: new GitHubAdminApi(createOctokit(token, baseUrl), governor),
    governor,
    family: detectFamily(baseUrl)
  }
}

/** A spent budget ends a report that cannot be partial: say so as a rate-limit failure. */
export async function withinBudget<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof StopError) {
      throw new ApiError('rate-limited', undefined, error.message, what)
    }
    throw error
  }
}

export async function usageCommand(runtime: RunEnvironment): Promise<void> {
  const get: Getter = name => core.getInput(name)
  const { token, target, top, reserve } = await core.group('Inputs', async () => {
    const inputs = {
      token: readToken(get),
      target: readTarget(get),
      top: parseCount(get(Input.Top), Input.Top, { min: 1 }) ?? DEFAULT_TOP,
      reserve: parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? 100
    }
    core.setSecret(inputs.token)
    core.info(`usage of: ${JSON.stringify(inputs.target)}`)
    return inputs
  })
  const { admin, family } = adminClient(runtime, token, reserve)
  const report = await core.group('Reading usage', () =>
    withinBudget('the usage report', () => collectUsage(admin, target, { top, family }))
  )
  for (const [name, value] of Object.entries(usageOutputs(report))) core.setOutput(name, value)
  await core.group('Usage', async () => {
    for (const line of renderUsageText(report)) core.info(line)
  })
  if (runtime.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderUsageSummary(report)).write()
}
