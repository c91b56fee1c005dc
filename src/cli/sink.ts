// Everything the command line prints passes through here, on stdout and on
// stderr alike: the token is masked (*** wherever it appears, even inside a
// server's error text that echoed the Authorization header), and no line can
// be read as a GitHub workflow command when the CLI runs in a `run:` step.
// For JSON the second rule keeps the document's values intact: `##[` becomes
// `##\u005b`, the same string to a JSON reader.

import { commandSafe } from '../engine/format.js'

export interface Stream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

const MASK = '***'

/** The shortest secret masked: anything shorter would mask ordinary words. */
const MIN_SECRET = 4

export class Secrets {
  private readonly values = new Set<string>()

  add(secret: string | undefined): void {
    const s = secret?.trim()
    if (s && s.length >= MIN_SECRET) this.values.add(s)
  }

  mask(text: string): string {
    let out = text
    for (const secret of this.values) out = out.split(secret).join(MASK)
    return out
  }
}

/** A line of JSON that the runner cannot read as a command; its value is unchanged. */
export const jsonSafe = (line: string): string => line.replace(/##\[/g, '##\\u005b')

/**
 * A stream whose every write is masked and made command-safe line by line.
 * `json()` switches it to JSON's escaping (for the document on stdout).
 */
export class SafeStream implements Stream {
  private jsonMode = false

  constructor(
    private readonly inner: Stream,
    private readonly secrets: Secrets
  ) {}

  get isTTY(): boolean {
    return this.inner.isTTY === true
  }

  get columns(): number | undefined {
    return this.inner.columns
  }

  json(on: boolean): void {
    this.jsonMode = on
  }

  write(text: string): unknown {
    const safe = this.jsonMode ? jsonSafe : commandSafe
    const masked = this.secrets.mask(text)
    return this.inner.write(masked.split('\n').map(safe).join('\n'))
  }
}
