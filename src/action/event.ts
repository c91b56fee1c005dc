// The triggering event, read from GITHUB_EVENT_NAME and the payload file at
// GITHUB_EVENT_PATH. Never GITHUB_REF: on a merged pull request's `closed`
// event it is the base branch.

import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { scopeFromEvent, type EventScope } from '../engine/event.js'

export function readEvent(env: NodeJS.ProcessEnv): EventScope {
  const path = env.GITHUB_EVENT_PATH
  let payload: unknown = {}
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      core.warning(`Could not read the event payload at ${path}: ${(error as Error).message}`)
    }
  }
  return scopeFromEvent(env.GITHUB_EVENT_NAME ?? '', payload, env.GITHUB_ACTOR ?? '')
}
