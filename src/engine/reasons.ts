// What each reason code of a plan means, said once. The job summary, the log,
// the CLI's table and the docs all read these texts; each front end only
// says how a setting is named where it is read (`keys` in a workflow, --keys
// on a command line).

import type { KeepReason } from './policy.js'

/** How a front end names a setting: the action's input, or the CLI's flag. */
export type SettingName = (setting: string) => string

export const asInput: SettingName = setting => `\`${setting}\``
export const asFlag: SettingName = setting => `--${setting}`

const KEPT: Readonly<Record<KeepReason, (name: SettingName) => string>> = {
  'key-not-matched': name => `key not matched by ${name('keys')}`,
  'ref-not-matched': name => `ref not matched by ${name('refs')} (or the event)`,
  protected: () => 'protected',
  'kept-latest': name => `among the newest of their key family (${name('keep-latest')})`,
  'too-recent': name => `not old enough (${name('older-than')})`,
  'too-small': name => `not large enough (${name('larger-than')})`,
  'too-large': name => `not small enough (${name('smaller-than')})`,
  'ref-alive': name => `their ref still exists (${name('stale-refs')})`,
  'within-budget': name => `not needed to fit ${name('max-total-size')}`,
  'not-selected': () => 'not selected',
  'newest-on-default': () => 'the newest of their key family on the default branch',
  'within-share': () => 'the repository fits within its share of the size limit'
}

/** Why a group of caches was kept, for a person. */
export const keptText = (reason: string, name: SettingName): string =>
  reason in KEPT ? KEPT[reason as KeepReason](name) : reason

/** Why a selected cache was left for the next run. */
export type PendingWhy = 'max-deletions' | 'budget' | 'secondary-limit' | 'deadline' | 'interrupted'

const PENDING: Readonly<Record<PendingWhy, (name: SettingName) => string>> = {
  'max-deletions': name => `${name('max-deletions')} was reached`,
  budget: () => 'the rate-limit budget was spent (the reserve is kept for other workflows)',
  'secondary-limit': () =>
    "GitHub's secondary rate limit asked for a longer pause than a run waits",
  deadline: name => `the ${name('deadline')} was reached`,
  interrupted: () => 'the run was interrupted (Ctrl-C) before it was sent'
}

export const pendingText = (why: PendingWhy, name: SettingName): string => PENDING[why](name)
