import * as fc from 'fast-check'
import { InputError } from '../../src/engine/errors.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'

const keys = (...lines: string[]): Matcher => {
  const m = compilePatterns(lines, 'key', 'keys')
  if (!m) throw new Error('no matcher')
  return m
}
const refs = (...lines: string[]): Matcher => {
  const m = compilePatterns(lines, 'ref', 'refs')
  if (!m) throw new Error('no matcher')
  return m
}

describe('compilePatterns: matching', () => {
  it.each([
    // literals
    ['Linux-node-abc', 'Linux-node-abc', true],
    ['Linux-node-abc', 'linux-node-abc', false], // case-sensitive
    ['Linux-node-abc', 'Linux-node-abcd', false],
    // * is any run of characters, `/` included, and may be empty
    ['*', '', true],
    ['*', 'anything at all', true],
    ['*', 'a/b/c', true],
    ['*', '.', true],
    ['*', '..', true],
    ['*', '.hidden', true],
    ['Linux-*', 'Linux-', true],
    ['Linux-*', 'Linux-node/18/x', true],
    ['Linux-*', 'Windows-node', false],
    ['*-node-*', 'Linux-node-abc', true],
    ['a*b*c', 'a/x/b/y/c', true],
    ['**', 'a/b/c', true],
    ['a/**/b', 'a/b', false], // no globstar: `**` is two stars, `/` literal on both sides
    ['a/**/b', 'a//b', true],
    // ? is exactly one character, `/` and astral characters included
    ['?', '/', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['?', '😀', true],
    ['??', '😀', false],
    ['foo?', 'foo1', true],
    ['foo?', 'foo', false],
    // classes
    ['[abc]', 'b', true],
    ['[abc]', 'd', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[!a-c]x', 'dx', true],
    ['[!a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['[^a-c]x', 'ax', false],
    ['[/]', '/', true],
    ['[!/]', '/', false],
    ['[!a]', '/', true],
    ['[.-0]', '/', true], // a range that spans `/`
    ['[!.-0]', '/', false],
    ['[a-\uffff]', '/', false],
    ['[a-\uffff]', 'z', true],
    ['[\\]]', ']', true],
    ['[\\]a]', 'a', true],
    ['[a\\-z]', '-', true],
    ['[a\\-z]', 'b', false],
    ['[a-]', '-', true],
    ['[-a]', '-', true],
    ['[*?]', '*', true],
    ['[*?]', 'x', false],
    ['[😀]', '😀', true],
    ['[[]', '[', true],
    // alternation
    ['{a,b}-x', 'a-x', true],
    ['{a,b}-x', 'b-x', true],
    ['{a,b}-x', 'c-x', false],
    ['{a,b}-x', '{a,b}-x', false],
    ['{a,{b,c}}', 'c', true],
    ['{a,{b,c}d}', 'cd', true],
    ['{a,{b,c}d}', 'c', false],
    ['x{a,}y', 'xy', true],
    ['x{a,}y', 'xay', true],
    ['{,}', '', true],
    ['{a/b,c}', 'a/b', true],
    ['{*-x,y}', 'a/b-x', true],
    ['{a\\,b,c}', 'a,b', true],
    ['{a\\,b,c}', 'a', false],
    // escapes
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\?', 'a?', true],
    ['a\\?', 'ab', false],
    ['\\[x]', '[x]', true],
    ['\\{a,b\\}', '{a,b}', true],
    ['\\\\', '\\', true],
    ['\\a', 'a', true],
    ['\\!x', '!x', true],
    // ordinary characters: no comments, no extglobs, no negation inside a line
    ['#x', '#x', true],
    ['+(a)', '+(a)', true],
    ['+(a)', 'a', false],
    ['@(a|b)', 'a', false],
    ['@(a|b)', '@(a|b)', true],
    ['!(a)', '!(a)', true], // a leading ! excludes: here it excludes `(a)`
    ['!(a)', '(a)', false],
    ['a|b', 'a|b', true],
    ['a,b', 'a,b', true],
    [']', ']', true],
    ['.*', '.git', true],
    ['$HOME', '$HOME', true]
  ])('%j ~ %j is %s', (pattern, subject, expected) => {
    expect(keys(pattern).matches(subject)).toBe(expected)
  })

  it('includes any line, then excludes any line', () => {
    const m = keys('Linux-*', 'macOS-*', '!*-pip-*', '!Linux-node-1')
    expect(m.matches('Linux-node-2')).toBe(true)
    expect(m.matches('macOS-node-1')).toBe(true)
    expect(m.matches('Linux-pip-1')).toBe(false)
    expect(m.matches('Linux-node-1')).toBe(false)
    expect(m.matches('Windows-node-1')).toBe(false)
  })

  it('with only exclude lines, includes everything else', () => {
    const m = keys('!*-pip-*')
    expect(m.include).toEqual([])
    expect(m.exclude).toEqual(['*-pip-*'])
    expect(m.matches('Linux-node-1')).toBe(true)
    expect(m.matches('')).toBe(true)
    expect(m.matches('Linux-pip-1')).toBe(false)
  })

  it('is undefined without lines', () => {
    expect(compilePatterns([], 'key', 'keys')).toBeUndefined()
    expect(compilePatterns([''], 'ref', 'refs')).toBeUndefined()
  })
})

describe('compilePatterns: refs', () => {
  it.each([
    ['main', 'refs/heads/main', true],
    ['main', 'main', false],
    ['main', 'refs/tags/main', false],
    ['feature/*', 'refs/heads/feature/a/b', true],
    ['feature/*', 'refs/heads/feat', false],
    ['*', 'refs/heads/x', true],
    ['*', 'refs/pull/1/merge', false],
    ['refs/pull/*/merge', 'refs/pull/12/merge', true],
    ['refs/pull/*/merge', 'refs/heads/pull/12/merge', false],
    ['refs/tags/v*', 'refs/tags/v1.2', true],
    ['refs/*', 'refs/pull/1/merge', true],
    ['gh-readonly-queue/*', 'refs/heads/gh-readonly-queue/main/pr-1-abc', true],
    ['{main,develop}', 'refs/heads/develop', true],
    ['{main,refs/tags/x}', 'refs/tags/x', false] // the line does not start with refs/
  ])('%j ~ %j is %s', (pattern, ref, expected) => {
    expect(refs(pattern).matches(ref)).toBe(expected)
  })

  it('prefixes branches, also in exclude lines', () => {
    const m = refs('main', 'feature/*', '!main', 'refs/pull/*/merge', '!refs/pull/1/merge')
    expect(m.include).toEqual(['refs/heads/main', 'refs/heads/feature/*', 'refs/pull/*/merge'])
    expect(m.exclude).toEqual(['refs/heads/main', 'refs/pull/1/merge'])
    expect(m.matches('refs/heads/main')).toBe(false)
    expect(m.matches('refs/heads/feature/x')).toBe(true)
    expect(m.matches('refs/pull/2/merge')).toBe(true)
    expect(m.matches('refs/pull/1/merge')).toBe(false)
  })
})

describe('compilePatterns: literals and commonPrefix', () => {
  it.each([
    [['Linux-node-*'], undefined, 'Linux-node-'],
    [['Linux-node-abc'], ['Linux-node-abc'], 'Linux-node-abc'],
    [['Linux-node-a', 'Linux-node-b'], ['Linux-node-a', 'Linux-node-b'], 'Linux-node-'],
    [['Linux-node-a', 'Linux-node-a'], ['Linux-node-a'], 'Linux-node-a'],
    [['{a,b}-x'], undefined, ''],
    [['a{b,c}'], undefined, 'a'],
    [['a\\*b'], ['a*b'], 'a*b'],
    [['a\\*b*'], undefined, 'a*b'],
    [['foo?'], undefined, 'foo'],
    [['foo[ab]'], undefined, 'foo'],
    [['[f]oo'], undefined, ''],
    [['*'], undefined, ''],
    [['abc', 'xyz'], ['abc', 'xyz'], ''],
    [['abc*', 'abd'], undefined, 'ab'],
    [['!abc'], undefined, ''],
    [['abc', '!abc'], [], 'abc'], // literals: exactly what matches, so nothing
    [['abc', 'abd', '!abd'], ['abc'], 'ab'],
    [['abc', 'abd', '!ab?'], [], 'ab'],
    [['a/b', 'a/c'], ['a/b', 'a/c'], 'a/'],
    [['😀x', '😃y'], ['😀x', '😃y'], ''], // never half a character
    [['😀x*', '😀y'], undefined, '😀']
  ])('%j', (lines, literals, prefix) => {
    const m = keys(...lines)
    expect(m.literals).toEqual(literals)
    expect(m.commonPrefix).toBe(prefix)
  })

  it.each([
    [['main'], ['refs/heads/main'], 'refs/heads/main'],
    [['main', 'develop'], ['refs/heads/main', 'refs/heads/develop'], 'refs/heads/'],
    [['refs/pull/7/merge'], ['refs/pull/7/merge'], 'refs/pull/7/merge'],
    [['main', 'refs/pull/7/merge'], ['refs/heads/main', 'refs/pull/7/merge'], 'refs/'],
    [['feature/*'], undefined, 'refs/heads/feature/'],
    [['!main'], undefined, ''],
    [['main', '!main'], [], 'refs/heads/main']
  ])('refs %j', (lines, literals, prefix) => {
    const m = refs(...lines)
    expect(m.literals).toEqual(literals)
    expect(m.commonPrefix).toBe(prefix)
  })
})

describe('compilePatterns: refused patterns', () => {
  it.each([
    ['a[bc', /unclosed '\['.*'\\\['/],
    ['[', /unclosed '\['/],
    ['[a-', /unclosed '\['/],
    ['[\\', /unclosed '\['/],
    ['{a,b', /unclosed '\{'/],
    ['{a,{b,c}', /unclosed '\{'/],
    ['a}', /'\}' without a matching '\{'/],
    ['{a,b}}', /'\}' without a matching '\{'/],
    ['!', /excludes nothing/],
    ['a\\', /ends with a lone '\\'/],
    ['[]', /empty class '\[\]'/],
    ['[!]', /empty class '\[!\]'/],
    ['[^]x', /empty class '\[\^\]'/],
    ['{a}', /without a comma/],
    ['{}', /without a comma/],
    ['{1..3}', /without a comma/],
    ['[z-a]', /backwards range 'z-a'/],
    ['[[:alpha:]]', /not supported/],
    ['x\ud800', /lone UTF-16 surrogate/],
    ['{,}'.repeat(129), /more than 128/],
    ['\\{a,b}', /'\}' without a matching '\{'/],
    ['x'.repeat(513), /longer than 512 characters \(a cache key has at most 512\)/]
  ])('%j', (line, message) => {
    let error: unknown
    try {
      compilePatterns(['fine-*', line], 'key', 'keys')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const e = error as InputError
    expect(e.input).toBe('keys')
    expect(e.message).toMatch(/^Input 'keys': pattern '/)
    expect(e.message).toMatch(message)
  })

  it('allows a key pattern of exactly 512 characters', () => {
    expect(keys('x'.repeat(512)).literals).toEqual(['x'.repeat(512)])
  })

  it('names the ref input and shows long lines shortened', () => {
    expect(() => compilePatterns(['main['], 'ref', 'refs')).toThrow(
      "Input 'refs': pattern 'main[' has an unclosed '['"
    )
    expect(() => compilePatterns([`${'y'.repeat(100)}[`], 'key', 'keys')).toThrow(
      `pattern '${'y'.repeat(60)}...' has an unclosed '['`
    )
  })
})

// An independent oracle: each atom's glob text and the regular expression it
// means, where `/` is an ordinary character.
const atoms: ReadonlyArray<readonly [string, string]> = [
  ['a', 'a'],
  ['b', 'b'],
  ['/', '\\/'],
  ['-', '-'],
  ['.', '\\.'],
  ['#', '#'],
  ['\\!', '!'],
  ['(', '\\('],
  [')', '\\)'],
  ['|', '\\|'],
  ['+', '\\+'],
  ['@', '@'],
  [',', ','],
  ['😀', '😀'],
  ['\\*', '\\*'],
  ['\\?', '\\?'],
  ['\\[', '\\['],
  ['\\{', '\\{'],
  ['*', '.*'],
  ['?', '.'],
  ['[ab]', '[ab]'],
  ['[!a]', '[^a]'],
  ['[^/]', '[^\\/]'],
  ['[.-0]', '[.-0]'],
  ['[/]', '\\/'],
  ['{a,b/}', '(?:a|b\\/)'],
  ['{,a*}', '(?:|a.*)'],
  ['{a,{b,😀}?}', '(?:a|(?:b|😀).)']
]
const subjectChar = fc.constantFrom(...'ab/-.#!()|+@,*?[{'.split(''), '😀')

describe('compilePatterns: properties', () => {
  it('matches exactly what an independent regular expression does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 6 }),
        fc.array(fc.string({ unit: subjectChar, maxLength: 8 }), { minLength: 1, maxLength: 10 }),
        (parts, subjects) => {
          const glob = parts.map(p => p[0]).join('')
          const re = new RegExp(`^${parts.map(p => p[1]).join('')}$`, 'su')
          const m = keys(glob)
          for (const s of subjects) {
            expect([glob, s, m.matches(s)]).toEqual([glob, s, re.test(s)])
            if (m.matches(s)) expect(s.startsWith(m.commonPrefix)).toBe(true)
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  it('an escaped string is a literal that matches only itself', () => {
    const escape = (s: string): string => s.replace(/[\\*?[\]{}]/g, '\\$&')
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 3 }),
        (s, extra) => {
          const line = /^!/.test(s) ? `\\${escape(s)}` : escape(s)
          if (line === '') return
          const m = keys(line)
          expect(m.literals).toEqual([s])
          expect(m.commonPrefix).toBe(s)
          expect(m.matches(s)).toBe(true)
          if (extra !== '') expect(m.matches(s + extra)).toBe(false)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('literals, when present, are exactly the strings that match', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', '/', '-'), maxLength: 4 })
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom('!a*', '!*b', '!a', '!?'), { maxLength: 2 }),
        fc.array(word, { maxLength: 10 }),
        (include, exclude, subjects) => {
          const lines = include.filter(l => l !== '')
          if (lines.length === 0) return
          const m = keys(...lines, ...exclude)
          expect(m.literals).toBeDefined()
          for (const s of [...subjects, ...lines]) {
            expect(m.matches(s)).toBe((m.literals as readonly string[]).includes(s))
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  it('arbitrary lines compile or throw an InputError, nothing else', () => {
    const globby = fc.constantFrom(...'ab*?[]{},!\\-^/.:'.split(''), '😀', '\ud800')
    const lines = fc.array(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: globby, maxLength: 12 })
      ),
      { maxLength: 4 }
    )
    fc.assert(
      fc.property(
        lines,
        fc.constantFrom('key' as const, 'ref' as const),
        fc.string(),
        (ls, kind, s) => {
          let m: Matcher | undefined
          try {
            m = compilePatterns(ls, kind, 'x')
          } catch (e) {
            expect(e).toBeInstanceOf(InputError)
            return
          }
          if (m) {
            expect(typeof m.matches(s)).toBe('boolean')
            if (m.matches(s)) expect(s.startsWith(m.commonPrefix)).toBe(true)
          }
        }
      ),
      { numRuns: 200 }
    )
  })
})
