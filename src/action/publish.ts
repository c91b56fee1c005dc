// A command's Outcome the runner's way: outputs, the closing log block, the
// job summary, then the verdict (setFailed for an error, annotations for
// warnings).

import * as core from '@actions/core'
import type { Outcome } from '../commands/outcome.js'

export async function publish<R>(outcome: Outcome<R>, env: NodeJS.ProcessEnv): Promise<void> {
  for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value)
  const { title, lines } = outcome.log
  if (title !== undefined) {
    await core.group(title, async () => {
      for (const line of lines) core.info(line)
    })
  } else {
    for (const line of lines) core.info(line)
  }
  if (outcome.summary !== undefined && env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(outcome.summary).write()
  }
  for (const notice of outcome.notices) {
    if (notice.level === 'error') core.setFailed(notice.message)
    else if (notice.level === 'warning') core.warning(notice.message)
    else core.info(notice.message)
  }
}
