// Writing data into the job summary (GitHub-flavoured Markdown with inline
// HTML). A cache key, a branch name, a repository name or a server's message
// is chosen by someone else, so it is never written as Markdown: it is made
// one visible line first (engine/format.ts: no line break can start a heading or
// close a block), then put where nothing in it is read as markup:
//
// - cell() and inline(): a code span, fenced with more backticks than the
//   value holds, in which Markdown, HTML and autolinks are all literal; in a
//   table cell a `|` is escaped, as the table syntax requires;
// - inHtml(): inside raw HTML such as <summary>, where Markdown is not read,
//   with `&`, `<`, `>` and quotes written as character references.

import { visible } from '../engine/format.js'

function span(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  // a space on each side keeps a leading or trailing backtick off the fence
  const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : ''
  return `${fence}${pad}${value}${pad}${fence}`
}

/** A value as code in running Markdown text (a line, a list item, a heading). */
export const inline = (value: string): string => span(visible(value))

/** A value as code in a Markdown table cell. */
export const cell = (value: string): string => span(visible(value).replace(/\|/g, '\\|'))

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** A value inside raw HTML (a <summary>), as code. */
export const inHtml = (value: string): string =>
  `<code>${visible(value).replace(/[&<>"']/g, ch => REFERENCES[ch])}</code>`
