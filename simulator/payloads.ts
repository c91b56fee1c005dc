// Event payloads shaped like GitHub's webhooks (a subset of their fields,
// under the same names), so that the simulated runs go through the real
// event handling (scopeFromEvent) exactly as a workflow's would.

export const REPOSITORY = 'octo/simulated'

const repository = (defaultBranch: string): Record<string, unknown> => ({
  full_name: REPOSITORY,
  name: REPOSITORY.split('/')[1],
  owner: { login: REPOSITORY.split('/')[0] },
  default_branch: defaultBranch
})

const sender = { login: 'octocat', type: 'User' }

/** `pull_request` with `action: closed` (a pull request from a branch of the same repository). */
export function pullRequestClosed(
  number: number,
  base: string,
  head: string,
  merged: boolean,
  defaultBranch: string
): Record<string, unknown> {
  return {
    action: 'closed',
    number,
    pull_request: {
      number,
      state: 'closed',
      merged,
      user: sender,
      head: { ref: head, repo: repository(defaultBranch) },
      base: { ref: base, repo: repository(defaultBranch) }
    },
    repository: repository(defaultBranch),
    sender
  }
}

/** `delete`: `ref` is the short name, `ref_type` says branch or tag. */
export function refDeleted(fullRef: string, defaultBranch: string): Record<string, unknown> {
  const tag = fullRef.startsWith('refs/tags/')
  return {
    ref: fullRef.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: tag ? 'tag' : 'branch',
    pusher_type: 'user',
    repository: repository(defaultBranch),
    sender
  }
}

/** `schedule`: its payload holds only the cron line. */
export const scheduled = (cron: string): Record<string, unknown> => ({ schedule: cron })
