// Glob patterns for cache keys and refs. Keys are not paths, so `/` is an
// ordinary character: `*` is any run of characters (including `/`), `?` is
// one character (one Unicode code point), `[...]` a class with ranges and
// `[!...]` / `[^...]` negation, `{a,b}` alternation (nestable) and `\` escapes
// the next character. Matching is case-sensitive; dots, `#`, `!` (except at
// the start of a line) and `(`, `)`, `|`, `+`, `@` are ordinary characters.
// A line starting with `!` excludes what it matches.
//
// Each line is parsed here, strictly (every mistake is an InputError naming
// the input), into a small syntax tree. The tree gives the facts the listing
// relies on (`literals`, `commonPrefix`) and is written back out as a
// canonical minimatch pattern in which every literal character is escaped, so
// minimatch never sees syntax we did not mean. minimatch splits on `/`, so the
// pattern and the subject are both rewritten with `/` as a lone surrogate
// (which a well-formed string never contains, so the rewrite is one-to-one),
// and both get a literal first character, so that minimatch's rules for
// leading dots, `.`/`..`, `**`, empty strings, comments and negation can never
// apply. Alternation is written as minimatch's `@(a|b)`, which is matched
// without expanding it.

import { Minimatch, type MinimatchOptions } from 'minimatch'
import { InputError } from './errors.js'

export interface Matcher {
  /** the include patterns, normalised (refs get `refs/heads/` where needed; no `!`) */
  readonly include: readonly string[]
  /** the exclude patterns, normalised, without their `!` */
  readonly exclude: readonly string[]
  /** some include pattern matches (or there are none) and no exclude pattern does */
  matches(s: string): boolean
  /**
   * Every include line is a plain literal (no glob syntax after unescaping):
   * exactly the strings `matches` accepts, deduplicated, in line order, with
   * the ones an exclude line removes left out. Otherwise undefined.
   */
  readonly literals: readonly string[] | undefined
  /** the longest literal prefix shared by every include line ('' if none) */
  readonly commonPrefix: string
}

export type PatternKind = 'key' | 'ref'

/** GitHub's limit on cache keys; a longer key pattern is a mistake. */
const MAX_KEY_PATTERN = 512
/** A sanity limit for ref patterns. */
const MAX_REF_PATTERN = 4096
/** At most this many `{...}` groups in one line. */
const MAX_GROUPS = 128

// ---------------------------------------------------------------------------
// Syntax tree

type Node =
  | { readonly t: 'lit'; readonly ch: string }
  | { readonly t: 'star' }
  | { readonly t: 'any' }
  | { readonly t: 'class'; readonly negate: boolean; readonly ranges: readonly Range[] }
  | { readonly t: 'alt'; readonly options: readonly Seq[] }
type Seq = readonly Node[]
/** code points, inclusive */
type Range = readonly [number, number]

class Parser {
  private i = 0
  private groups = 0
  constructor(
    private readonly text: string,
    private readonly fail: (message: string) => never
  ) {}

  parse(): Seq {
    const seq = this.sequence(false)
    if (this.i < this.text.length) {
      // only a stray `}` (or `,` inside nothing) stops a top-level sequence
      this.fail(`has a '}' without a matching '{' (write '\\}' for a literal brace)`)
    }
    return seq
  }

  private peek(): string | undefined {
    const cp = this.text.codePointAt(this.i)
    return cp === undefined ? undefined : String.fromCodePoint(cp)
  }

  private next(): string {
    const c = this.peek()
    if (c === undefined) this.fail('ends unexpectedly')
    this.i += c.length
    return c
  }

  /** Up to the end, or (inside braces) up to an unescaped `,` or `}`. */
  private sequence(inBraces: boolean): Node[] {
    const seq: Node[] = []
    for (;;) {
      const c = this.peek()
      if (c === undefined) return seq
      if (c === '}' || (inBraces && c === ',')) return seq
      this.i += c.length
      switch (c) {
        case '\\': {
          if (this.peek() === undefined) {
            this.fail(`ends with a lone '\\' (write '\\\\' for a literal backslash)`)
          }
          seq.push({ t: 'lit', ch: this.next() })
          break
        }
        case '*':
          seq.push({ t: 'star' })
          break
        case '?':
          seq.push({ t: 'any' })
          break
        case '[':
          seq.push(this.charClass())
          break
        case '{':
          seq.push(this.alternation())
          break
        default:
          seq.push({ t: 'lit', ch: c })
      }
    }
  }

  private classChar(): number {
    const c = this.peek()
    if (c === undefined) this.unclosedClass()
    this.i += c.length
    if (c === '\\') {
      if (this.peek() === undefined) this.unclosedClass()
      return this.next().codePointAt(0) as number
    }
    if (c === '[' && this.peek() === ':') {
      this.fail(
        `uses a character class like '[:alpha:]', which is not supported; list the characters or a range instead (write '\\[' for a literal bracket)`
      )
    }
    return c.codePointAt(0) as number
  }

  private unclosedClass(): never {
    this.fail(`has an unclosed '[' (write '\\[' for a literal bracket)`)
  }

  /** After `[`: members up to the closing `]`. */
  private charClass(): Node {
    let negate = false
    const c0 = this.peek()
    if (c0 === '!' || c0 === '^') {
      negate = true
      this.i++
    }
    if (this.peek() === ']') {
      this.fail(
        `has an empty class '[${negate ? c0 : ''}]' (write '\\[' and '\\]' for literal brackets)`
      )
    }
    const ranges: Range[] = []
    for (;;) {
      const c = this.peek()
      if (c === undefined) this.unclosedClass()
      if (c === ']') {
        this.i++
        return { t: 'class', negate, ranges }
      }
      const lo = this.classChar()
      // `a-z` is a range; a `-` first or last is a member
      if (this.peek() === '-' && this.text[this.i + 1] !== ']' && this.i + 1 < this.text.length) {
        this.i++
        const hi = this.classChar()
        if (hi < lo) {
          this.fail(
            `has a backwards range '${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}' in '[...]'`
          )
        }
        ranges.push([lo, hi])
      } else {
        ranges.push([lo, lo])
      }
    }
  }

  /** After `{`: options separated by `,` up to the closing `}`. */
  private alternation(): Node {
    if (++this.groups > MAX_GROUPS) this.fail(`has more than ${MAX_GROUPS} '{...}' groups`)
    const options: Seq[] = []
    for (;;) {
      options.push(this.sequence(true))
      const c = this.peek()
      if (c === undefined) {
        this.fail(`has an unclosed '{' (write '\\{' for a literal brace)`)
      }
      this.i++
      if (c === '}') break
    }
    if (options.length < 2) {
      this.fail(
        `has a '{...}' without a comma; alternatives look like '{a,b}' (write '\\{' and '\\}' for literal braces)`
      )
    }
    return { t: 'alt', options }
  }
}

// ---------------------------------------------------------------------------
// Facts from the tree

/** The whole line as one string, if it holds no glob syntax. */
const literalOf = (seq: Seq): string | undefined =>
  seq.every(n => n.t === 'lit') ? seq.map(n => (n as { ch: string }).ch).join('') : undefined

/** The literal characters before the first glob syntax. */
const prefixOf = (seq: Seq): string[] => {
  const out: string[] = []
  for (const n of seq) {
    if (n.t !== 'lit') break
    out.push(n.ch)
  }
  return out
}

/** The common prefix of lists of code points, as a string (never splits a character). */
const sharedPrefix = (lists: readonly (readonly string[])[]): string => {
  if (lists.length === 0) return ''
  let len = lists[0].length
  for (const l of lists) {
    let i = 0
    while (i < len && i < l.length && l[i] === lists[0][i]) i++
    len = i
  }
  return lists[0].slice(0, len).join('')
}

// ---------------------------------------------------------------------------
// Writing the tree out for minimatch

/** `/` in patterns and subjects: a lone surrogate, absent from well-formed strings. */
const SLASH = 0xdfff
const SLASH_CHAR = String.fromCharCode(SLASH)
/** The literal first character of every pattern and subject. */
const LEAD = '\uE000'

const OPTIONS: MinimatchOptions = {
  dot: true,
  nocase: false,
  nonegate: true,
  nocomment: true,
  nobrace: true,
  noglobstar: true,
  noext: false, // for our own `@(a|b)`; every user character is escaped
  platform: 'linux',
  optimizationLevel: 0
}

const escapeChar = (ch: string): string => '\\' + (ch === '/' ? SLASH_CHAR : ch)

const writeRanges = (ranges: readonly Range[]): string => {
  const parts: string[] = []
  const add = (lo: number, hi: number): void => {
    if (lo > hi) return
    const a = escapeChar(String.fromCodePoint(lo))
    parts.push(lo === hi ? a : `${a}-${escapeChar(String.fromCodePoint(hi))}`)
  }
  for (const [lo, hi] of ranges) {
    // the stand-in for `/` is never matched as itself ...
    if (lo <= SLASH && SLASH <= hi) {
      add(lo, SLASH - 1)
      add(SLASH + 1, hi)
    } else {
      add(lo, hi)
    }
    // ... but wherever `/` is a member
    if (lo <= 0x2f && 0x2f <= hi) parts.push(escapeChar('/'))
  }
  return parts.join('')
}

const write = (seq: Seq): string =>
  seq
    .map(n => {
      switch (n.t) {
        case 'lit':
          return escapeChar(n.ch)
        case 'star':
          return '*'
        case 'any':
          return '?'
        case 'class': {
          const body = writeRanges(n.ranges)
          // unreachable (lone surrogates are refused), but an empty class must match nothing
          if (body === '') return n.negate ? '?' : '!(*)'
          return `[${n.negate ? '!' : ''}${body}]`
        }
        case 'alt':
          return `@(${n.options.map(write).join('|')})`
      }
    })
    .join('')

const toSubject = (s: string): string => LEAD + s.replaceAll('/', SLASH_CHAR)

interface Compiled {
  readonly source: string
  readonly seq: Seq
  readonly test: (s: string) => boolean
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function compileLine(source: string, fail: (message: string) => never): Compiled {
  if (LONE_SURROGATE.test(source)) fail('holds a malformed character (a lone UTF-16 surrogate)')
  const seq = new Parser(source, fail).parse()
  const mm = new Minimatch(escapeChar(LEAD) + write(seq), OPTIONS)
  // A pattern's leading literal characters must begin the subject: checking
  // them first spares minimatch most subjects of a 100,000-cache listing.
  const prefix = prefixOf(seq).join('')
  return { source, seq, test: s => s.startsWith(prefix) && mm.match(toSubject(s)) }
}

/**
 * Compiles input lines (as from parseLines) into one Matcher, or undefined
 * when there are no lines. For refs, a line that does not start with `refs/`
 * names a branch: `main` means `refs/heads/main`, `!feature/*` excludes
 * `refs/heads/feature/*`.
 */
export function compilePatterns(
  lines: readonly string[],
  kind: PatternKind,
  input: string
): Matcher | undefined {
  const include: Compiled[] = []
  const exclude: Compiled[] = []
  for (const line of lines) {
    if (line === '') continue
    const fail = (message: string): never => {
      const shown = line.length > 80 ? `${line.slice(0, 60)}...` : line
      throw new InputError(input, `pattern '${shown}' ${message}`)
    }
    const max = kind === 'key' ? MAX_KEY_PATTERN : MAX_REF_PATTERN
    if (line.length > max) {
      fail(
        `is longer than ${max} characters${kind === 'key' ? ' (a cache key has at most 512)' : ''}`
      )
    }
    const negated = line.startsWith('!')
    let body = negated ? line.slice(1) : line
    if (body === '') fail(`excludes nothing; write '!' followed by a pattern, like '!main'`)
    if (kind === 'ref' && !body.startsWith('refs/')) body = `refs/heads/${body}`
    ;(negated ? exclude : include).push(compileLine(body, fail))
  }
  if (include.length === 0 && exclude.length === 0) return undefined

  const matches = (s: string): boolean =>
    (include.length === 0 || include.some(p => p.test(s))) && !exclude.some(p => p.test(s))

  let literals: string[] | undefined
  if (include.length > 0) {
    const lits = include.map(p => literalOf(p.seq))
    if (lits.every(l => l !== undefined)) {
      literals = [...new Set(lits as string[])].filter(l => !exclude.some(p => p.test(l)))
    }
  }
  const commonPrefix = sharedPrefix(include.map(p => prefixOf(p.seq)))

  return Object.freeze({
    include: Object.freeze(include.map(p => p.source)),
    exclude: Object.freeze(exclude.map(p => p.source)),
    matches,
    literals: literals && Object.freeze(literals),
    commonPrefix
  })
}
