// The usage command: reads the cache usage of a repository, an organization
// or an enterprise and returns it as an Outcome (outputs, a text table and a
// job summary) for the action or the CLI to render. Also home to the helpers
// the limits command shares: reading the target and the token from the
// inputs and building the admin client. No @actions/core.

import { ApiError } from '../../github/ports.js'
import type { AdminTarget, ApiFamily, GitHubAdminApi } from '../../github/admin-api.js'
import { createClient } from '../../github/client.js'
import { InputError } from '../../engine/errors.js'
import { StopError, type Governor } from '../../github/governor.js'
import { Input, type InputName } from '../../engine/inputs.js'
import { parseCount, parseRepository } from '../../engine/parse.js'
import type { ClientContext } from '../prune/command.js'
import type { Outcome, Ui } from '../../run/ui.js'
import {
  collectUsage,
  DEFAULT_TOP,
  renderUsageSummary,
  renderUsageText,
  usageOutputs,
  type UsageReport
} from '../../engine/usage.js'

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

export function adminClient(context: ClientContext, token: string, reserve: number): AdminClient {
  const { admin, governor, family } = createClient({
    token,
    apiUrl: context.apiUrl,
    runtime: context.runtime,
    reserve,
    onEvent: context.onEvent
  })
  return { admin, governor, family }
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

export async function runUsage(
  get: Getter,
  context: ClientContext,
  ui: Ui
): Promise<Outcome<UsageReport>> {
  const { token, target, top, reserve } = await ui.group('Inputs', async () => {
    const inputs = {
      token: readToken(get),
      target: readTarget(get),
      top: parseCount(get(Input.Top), Input.Top, { min: 1 }) ?? DEFAULT_TOP,
      reserve: parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? 100
    }
    ui.info(`usage of: ${JSON.stringify(inputs.target)}`)
    return inputs
  })
  const { admin, family } = adminClient(context, token, reserve)
  const report = await ui.group('Reading usage', () =>
    withinBudget('the usage report', () => collectUsage(admin, target, { top, family }))
  )
  return {
    report,
    outputs: usageOutputs(report),
    log: { title: 'Usage', lines: renderUsageText(report) },
    summary: renderUsageSummary(report),
    notices: []
  }
}
