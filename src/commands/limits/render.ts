// The limits report for people and scripts: the job summary (Markdown), the
// `limits` output and a plain table for a terminal. Pure.

import { describeTarget } from '../../engine/targets.js'
import {
  familyName,
  LIMIT_SETTINGS,
  type LimitSetting,
  type LimitsReport,
  type LimitValues
} from '../../engine/limits.js'
import { textTable } from '../text-table.js'

export const LimitsOutput = {
  Limits: 'limits'
} as const

const LABEL: Readonly<Record<LimitSetting, string>> = {
  'retention-days': 'cache retention (days)',
  'size-limit-gb': 'cache size limit per repository (GB)',
  'max-size-limit-gb': 'largest size limit a repository may get (GB)'
}

const show = (v: number | undefined): string => (v === undefined ? '–' : String(v))

function rows(
  r: LimitsReport
): Array<{ setting: LimitSetting; before: string; after: string; note: string }> {
  const settings = LIMIT_SETTINGS.filter(s => r.before[s] !== undefined || r.after[s] !== undefined)
  return settings.map(setting => {
    const change = r.plan.changes.find(c => c.setting === setting)
    const note = r.mismatched.includes(setting)
      ? 'not applied'
      : change
        ? r.dryRun
          ? 'would change'
          : 'changed'
        : r.plan.unchanged.includes(setting)
          ? 'already set'
          : ''
    return { setting, before: show(r.before[setting]), after: show(r.after[setting]), note }
  })
}

function headline(r: LimitsReport): string {
  const k = r.plan.changes.length
  const what = `${k} setting${k === 1 ? '' : 's'}`
  if (k === 0) return 'nothing to change'
  return r.dryRun ? `would change ${what}` : `changed ${what}`
}

export function renderLimitsSummary(r: LimitsReport): string {
  const lines = [
    `## Cache limits of ${describeTarget(r.target)}${r.dryRun ? ' (dry run)' : ''}: ${headline(r)}`,
    '',
    `Server: ${familyName(r.family)}.`,
    '',
    `| setting | before | ${r.dryRun ? 'would be' : 'after'} | |`,
    '|---|---:|---:|---|'
  ]
  for (const row of rows(r)) {
    lines.push(
      `| ${LABEL[row.setting]} (\`${row.setting}\`) | ${row.before} | ${row.after} | ${row.note} |`
    )
  }
  if (r.mismatched.length > 0) {
    lines.push('', `**GitHub did not keep:** ${r.mismatched.map(s => `\`${s}\``).join(', ')}.`)
  }
  return lines.join('\n') + '\n'
}

const snake = (v: LimitValues): Record<string, number> =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/-/g, '_'), x as number]))

export function limitsOutputs(r: LimitsReport): Record<string, string> {
  const t = r.target
  return {
    [LimitsOutput.Limits]: JSON.stringify({
      scope: t.kind === 'repo' ? 'repository' : t.kind === 'org' ? 'organization' : 'enterprise',
      name: t.kind === 'repo' ? `${t.owner}/${t.repo}` : t.kind === 'org' ? t.org : t.enterprise,
      server: r.family,
      dry_run: r.dryRun,
      before: snake(r.before),
      after: snake(r.after),
      changed: r.plan.changes.map(c => c.setting)
    })
  }
}

export function renderLimitsText(r: LimitsReport, options: { tsv?: boolean } = {}): string[] {
  const lines = [
    `Cache limits of ${describeTarget(r.target)} on ${familyName(r.family)}${r.dryRun ? ' (dry run)' : ''}: ${headline(r)}`
  ]
  const head = ['setting', 'before', r.dryRun ? 'would be' : 'after', '']
  const body = rows(r).map(row => [row.setting, row.before, row.after, row.note])
  return [...lines, ...textTable(head, body, { right: [1, 2], tsv: options.tsv })]
}
