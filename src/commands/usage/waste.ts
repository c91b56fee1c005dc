// A repository's waste report for people and scripts: where its bytes go
// (dead, superseded, never restored, live), its largest key families, and the
// days left until the size limit at the last week's pace. Pure renderers; the
// bars are Unicode blocks in a table, which render everywhere.

import { formatBytes, formatCount as n, visible } from '../../engine/format.js'
import type { Amount, WasteClass, WasteReport } from '../../engine/waste.js'
import { cell } from '../markdown.js'
import { textTable } from '../text-table.js'
import { bar, percent } from './bars.js'

const LABEL: Readonly<Record<WasteClass, string>> = {
  dead: 'dead: their ref no longer exists',
  superseded: 'superseded: a newer version of the family came after their last use',
  'never-restored': 'never restored, and more than a day old',
  live: 'live'
}

const ORDER: readonly WasteClass[] = ['dead', 'superseded', 'never-restored', 'live']

function forecastText(w: WasteReport): string {
  const f = w.forecast
  const pace = `${formatBytes(f.bytesPerDay)} a day created over the last 7 days`
  switch (f.status) {
    case 'unknown-limit':
      return `Growth: ${pace}; the size limit is unknown.`
    case 'over':
      return `Already at or over the size limit (${pace}).`
    case 'flat':
      return 'Nothing was created in the last 7 days: no growth to extrapolate.'
    case 'growing':
      return `At ${pace}, the size limit is reached in about ${Math.max(0, Math.floor(f.daysToLimit))} days (a pessimistic reading: it ignores what expiry and eviction remove).`
  }
}

const deadNote = (w: WasteReport): string =>
  w.deadKnown ? '' : ' (not checked: set `stale-refs: true` to look the refs up)'

/** The summary's section (Markdown). */
export function renderWasteSummary(w: WasteReport): string[] {
  const row = (label: string, a: Amount): string =>
    `| ${label} | ${n(a.count)} | ${formatBytes(a.bytes)} | ${percent(a.share)} | ${bar(a.share)} |`
  const lines = [
    '### Where the bytes go',
    '',
    '| | caches | size | share | |',
    '|---|---:|---:|---:|---|',
    ...ORDER.map(k => row(LABEL[k] + (k === 'dead' ? deadNote(w) : ''), w.classes[k])),
    ''
  ]
  if (w.families.length > 0) {
    lines.push(
      '### Largest key families',
      '',
      '| family | caches | size | share | |',
      '|---|---:|---:|---:|---|',
      ...w.families.map(f => row(cell(f.family), f))
    )
    if (w.otherFamilies.families > 0) {
      lines.push(row(`${n(w.otherFamilies.families)} other families`, w.otherFamilies))
    }
    lines.push('')
  }
  lines.push(forecastText(w), '')
  return lines
}

/** The same for the log and a terminal. */
export function renderWasteText(w: WasteReport): string[] {
  const rows = ORDER.map(k => [
    k,
    n(w.classes[k].count),
    formatBytes(w.classes[k].bytes),
    percent(w.classes[k].share)
  ])
  const families = w.families.map(f => [
    visible(f.family),
    n(f.count),
    formatBytes(f.bytes),
    percent(f.share)
  ])
  return [
    '',
    ...textTable(['where the bytes go', 'caches', 'size', 'share'], rows, { right: [1, 2, 3] }),
    ...(w.deadKnown ? [] : ['(dead refs not checked: --stale-refs looks them up)']),
    '',
    ...textTable(['largest key families', 'caches', 'size', 'share'], families, {
      right: [1, 2, 3]
    }),
    '',
    forecastText(w).replace(/`/g, '')
  ]
}

/** The `waste` member of the `usage` output. */
export function wasteJson(w: WasteReport): Record<string, unknown> {
  const amount = (a: Amount) => ({ count: a.count, bytes: a.bytes })
  return {
    dead: w.deadKnown ? amount(w.classes.dead) : null,
    superseded: amount(w.classes.superseded),
    never_restored: amount(w.classes['never-restored']),
    live: amount(w.classes.live),
    families: w.families.map(f => ({ family: f.family, ...amount(f) })),
    bytes_per_day: Math.round(w.forecast.bytesPerDay),
    days_to_limit: w.forecast.status === 'growing' ? Math.floor(w.forecast.daysToLimit) : null
  }
}
