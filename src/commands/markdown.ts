// Writing data into the job summary's Markdown. Every value that comes from
// the API or an event goes through one of these.

/** Text as a code span inside a table cell. */
export const code = (s: string): string => '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|') + '`'

/** Text made safe for one cell of a Markdown table. */
export const tableCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
