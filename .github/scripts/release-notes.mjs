// Prints the CHANGELOG.md section of one version, for the GitHub release:
//   node .github/scripts/release-notes.mjs 1.2.3 [CHANGELOG.md]
// The section runs from its heading, `## [1.2.3] - date`, to the next `## `
// heading or the link references at the end. It fails (exit code 1) when the
// version has no section or the section is empty, so that a release is never
// published without notes.
import { readFileSync } from 'node:fs'

const [version, file = 'CHANGELOG.md'] = process.argv.slice(2)
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: release-notes.mjs X.Y.Z [CHANGELOG.md]')
  process.exit(2)
}

const lines = readFileSync(file, 'utf8').split('\n')
const start = lines.findIndex(l => l.startsWith(`## [${version}]`))
if (start < 0) {
  console.error(`${file} has no section '## [${version}]'`)
  process.exit(1)
}
const body = []
for (const line of lines.slice(start + 1)) {
  if (line.startsWith('## ') || /^\[[^\]]+\]: /.test(line)) break
  body.push(line)
}
const notes = body.join('\n').trim()
if (notes === '') {
  console.error(`the section '## [${version}]' of ${file} is empty`)
  process.exit(1)
}
process.stdout.write(notes + '\n')
