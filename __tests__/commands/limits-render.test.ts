// The limits report's renderers: job summary, outputs and the text table.
import { memoryApi } from '../support/memory-admin.js'
import { applyLimits } from '../../src/run/limits.js'
import type { AdminTarget } from '../../src/engine/targets.js'
import {
  limitsOutputs,
  renderLimitsSummary,
  renderLimitsText
} from '../../src/commands/limits/render.js'

const repo: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }

describe('renderers', () => {
  it('summary, outputs and text agree on before and after', async () => {
    const m = memoryApi({})
    const r = await applyLimits(
      m.api,
      repo,
      'github.com',
      { 'size-limit-gb': 40 },
      { dryRun: true }
    )
    const md = renderLimitsSummary(r)
    expect(md).toContain('## Cache limits of repository o/r (dry run): would change 1 setting')
    expect(md).toContain(
      '| cache size limit per repository (GB) (`size-limit-gb`) | 10 | 40 | would change |'
    )
    expect(md).toContain('| cache retention (days) (`retention-days`) | 7 | 7 |  |')
    expect(JSON.parse(limitsOutputs(r).limits)).toEqual({
      scope: 'repository',
      name: 'o/r',
      server: 'github.com',
      dry_run: true,
      before: { retention_days: 7, size_limit_gb: 10 },
      after: { retention_days: 7, size_limit_gb: 40 },
      changed: ['size-limit-gb']
    })
    expect(renderLimitsText(r)).toEqual([
      'Cache limits of repository o/r on github.com (dry run): would change 1 setting',
      'setting         before  would be',
      'retention-days       7         7',
      'size-limit-gb       10        40  would change'
    ])
  })
})
