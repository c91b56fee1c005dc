import * as fc from 'fast-check'
import { InputError } from '../../src/engine/errors.js'
import {
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseLines,
  parseRepository,
  parseRepositoryPattern,
  parseSize
} from '../../src/engine/parse.js'
import { formatBytes, formatDuration } from '../../src/engine/format.js'
import { inputError } from '../support/input-error.js'

const M = 60_000
const H = 60 * M
const D = 24 * H
const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1.5s', 1500],
    ['90m', 90 * M],
    ['36h', 36 * H],
    ['7d', 7 * D],
    ['2w', 14 * D],
    ['1.5d', 36 * H],
    ['0.5h', 30 * M],
    ['  7d  ', 7 * D],
    ['7 d', 7 * D],
    ['1m', M],
    ['007d', 7 * D]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, 'older-than')).toBe(ms)
  })

  it.each(['', '   ', '\n\t'])('%j is unset', text => {
    expect(parseDuration(text, 'older-than')).toBeUndefined()
  })

  it.each([
    [
      '7',
      /'7' has no unit; write it like '7d' \(units: s \(seconds\), m \(minutes\), h \(hours\), d \(days\), w \(weeks\)\)/
    ],
    ['1.5', /has no unit/],
    ['7D', /units are lowercase; write '7d'/],
    ['36H', /units are lowercase; write '36h'/],
    ['30S', /units are lowercase; write '30s'/],
    ['30ms', /unknown unit 'ms'.*'7d'.*s \(seconds\)/],
    ['7days', /unknown unit 'days'/],
    ['5y', /unknown unit 'y'/],
    ['-7d', /must be positive/],
    ['+7d', /must be positive/],
    ['0d', /longer than zero/],
    ['0m', /longer than zero/],
    ['0.00000001m', /longer than zero/],
    ['abc', /expected one number and one unit, like '7d'/],
    ['1d12h', /expected one number and one unit/],
    ['.5d', /expected one number and one unit/],
    ['7.d', /expected one number and one unit/],
    ['1e3d', /expected one number and one unit/],
    ['Infinityd', /expected one number and one unit/],
    ['NaN', /expected one number and one unit/],
    ['7 d x', /expected one number and one unit/],
    [`${'9'.repeat(400)}d`, /too long a duration/]
  ])('%j is refused', (text, message) => {
    const e = inputError(() => parseDuration(text, 'older-than'))
    expect(e.input).toBe('older-than')
    expect(e.message).toMatch(/^Input 'older-than': /)
    expect(e.message).toMatch(message)
  })
})

describe('parseSize', () => {
  it.each([
    // binary everywhere: GB and GiB are the same 2^30 bytes
    ['500MB', 500 * MiB],
    ['500 MB', 500 * MiB],
    ['500mb', 500 * MiB],
    ['500Mb', 500 * MiB],
    ['1kb', 1024],
    ['1KB', 1024],
    ['2GB', 2 * GiB],
    ['1TB', 1024 * GiB],
    ['1.5GiB', 1.5 * GiB],
    ['1.5gib', 1.5 * GiB],
    ['200KiB', 200 * KiB],
    ['1MiB', MiB],
    ['2TiB', 2 * 1024 * GiB],
    ['1.1KiB', 1126], // 1126.4, rounded
    ['1048576', 1048576],
    ['512B', 512],
    ['512 b', 512],
    ['0', 0],
    ['0B', 0],
    [' 10 GB ', 10 * GiB]
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text, 'max-total-size')).toBe(bytes)
  })

  it('is unset when empty', () => {
    expect(parseSize('', 'max-total-size')).toBeUndefined()
    expect(parseSize('  ', 'max-total-size')).toBeUndefined()
  })

  it.each([
    ['-1', /must not be negative/],
    ['-1MB', /must not be negative/],
    ['1.5', /number of bytes must be whole.*'1.5KiB'/],
    ['1.5B', /number of bytes must be whole/],
    ['10XB', /unknown unit 'XB'.*KiB/],
    ['10M', /unknown unit 'M'/],
    ['10 K', /unknown unit 'K'/],
    ['MB', /not a size; write it like '500MB'/],
    ['NaN', /not a size/],
    ['Infinity', /not a size/],
    ['1e6', /not a size/],
    ['1,000', /not a size/],
    ['0x10', /not a size/],
    ['10 GB GB', /not a size/],
    [`${'9'.repeat(30)}TB`, /too large/],
    [`${'9'.repeat(400)}`, /too large/]
  ])('%j is refused', (text, message) => {
    const e = inputError(() => parseSize(text, 'larger-than'))
    expect(e.input).toBe('larger-than')
    expect(e.message).toMatch(message)
  })
})

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['25', 25],
    [' 3 ', 3],
    ['007', 7],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER]
  ])('%j is %d', (text, n) => {
    expect(parseCount(text, 'keep-latest')).toBe(n)
  })

  it('is unset when empty', () => {
    expect(parseCount('', 'keep-latest')).toBeUndefined()
    expect(parseCount('', 'keep-latest', { min: 1 })).toBeUndefined()
  })

  it.each([
    ['-1', /not a whole number/],
    ['+1', /not a whole number/],
    ['1.5', /not a whole number/],
    ['1.0', /not a whole number/],
    ['1e3', /not a whole number/],
    ['abc', /not a whole number; write digits only, like '10'/],
    ['1 000', /not a whole number/],
    ['9007199254740992', /too large/]
  ])('%j is refused', (text, message) => {
    expect(inputError(() => parseCount(text, 'keep-latest')).message).toMatch(message)
  })

  it('honours min', () => {
    expect(parseCount('1', 'max-deletions', { min: 1 })).toBe(1)
    expect(inputError(() => parseCount('0', 'max-deletions', { min: 1 })).message).toMatch(
      /at least 1/
    )
  })
})

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['yes', true],
    ['YES', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['no', false],
    ['No', false],
    ['0', false],
    [' true ', true]
  ])('%j is %s', (text, value) => {
    expect(parseBoolean(text, 'dry-run', !value)).toBe(value)
  })

  it('gives the default when empty', () => {
    expect(parseBoolean('', 'dry-run', true)).toBe(true)
    expect(parseBoolean(' ', 'dry-run', false)).toBe(false)
  })

  it.each(['on', 'off', 'y', 'n', 'truee', '2', 'null'])('%j is refused', text => {
    expect(inputError(() => parseBoolean(text, 'dry-run', false)).message).toMatch(
      /is not a boolean; write 'true' or 'false'/
    )
  })
})

describe('parseLines', () => {
  it.each([
    ['', []],
    ['\n\n', []],
    ['a', ['a']],
    ['a\nb', ['a', 'b']],
    ['  a  \r\n\r\n b\rc', ['a', 'b', 'c']],
    ['#not-a-comment\n!x', ['#not-a-comment', '!x']],
    ['a,b\nc', ['a,b', 'c']]
  ])('%j', (text, lines) => {
    expect(parseLines(text)).toEqual(lines)
  })
})

describe('parseRepository', () => {
  it.each([
    ['octo-org/octo-repo', 'octo-org', 'octo-repo'],
    [' a/b ', 'a', 'b'],
    ['A_b.c/d.e-f_G', 'A_b.c', 'd.e-f_G'],
    ['o/.github', 'o', '.github']
  ])('%j', (text, owner, repo) => {
    expect(parseRepository(text, 'repository')).toEqual({ owner, repo })
  })

  it.each([
    ['', /is empty; write it as owner\/name, like 'octo-org\/octo-repo'/],
    ['octo', /not a repository/],
    ['a/b/c', /not a repository/],
    ['/b', /not a repository/],
    ['a/', /not a repository/],
    ['a b/c', /owner 'a b'/],
    ['a/b c', /name 'b c'/],
    ['a/*', /name '\*'/],
    ['a/..', /'\.\.' is not a repository name/],
    ['a/.', /'\.' is not a repository name/],
    ['../b', /'\.\.' is not a repository owner/],
    ['./b', /'\.' is not a repository owner/],
    ['a/-b', /the name '-b' starts with '-'/],
    ['-a/b', /the owner '-a' starts with '-'/],
    ['https://github.com/a/b', /not a repository/],
    [`a/${'x'.repeat(101)}`, /at most 100/]
  ])('%j is refused', (text, message) => {
    const e = inputError(() => parseRepository(text, 'repository'))
    expect(e.input).toBe('repository')
    expect(e.message).toMatch(message)
  })

  it.each([
    ['octo-org/*', 'octo-org', '*'],
    ['octo-org/service-*', 'octo-org', 'service-*'],
    ['o/a?c', 'o', 'a?c'],
    ['o/plain', 'o', 'plain']
  ])('pattern %j', (text, owner, pattern) => {
    expect(parseRepositoryPattern(text, 'repositories')).toEqual({ owner, pattern })
  })

  it.each(['*/x', 'o/[ab]', 'o/{a,b}', 'o', 'o/a/b', 'o/', 'o/-*', 'o/..', '-o/*'])(
    'pattern %j is refused',
    text => {
      expect(inputError(() => parseRepositoryPattern(text, 'repositories')).input).toBe(
        'repositories'
      )
    }
  )
})

describe('parseChoice', () => {
  const choices = ['last-accessed', 'created'] as const
  it.each([
    ['created', 'created'],
    ['last-accessed', 'last-accessed'],
    ['CREATED', 'created'],
    [' created ', 'created'],
    ['', 'last-accessed']
  ])('%j is %j', (text, value) => {
    expect(parseChoice(text, 'age-by', choices, 'last-accessed')).toBe(value)
  })

  it('lists the choices when refused', () => {
    expect(inputError(() => parseChoice('modified', 'age-by', choices, 'created')).message).toBe(
      "Input 'age-by': 'modified' is not one of 'last-accessed', 'created'; for example 'last-accessed'"
    )
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [10 * KiB, '10 KiB'],
    [234 * MiB, '234 MiB'],
    [Math.round(1.21 * GiB), '1.21 GiB'],
    [Math.round(1.234 * GiB), '1.23 GiB'],
    [Math.round(12.34 * GiB), '12.3 GiB'],
    [Math.round(123.4 * GiB), '123 GiB'],
    [1000 * MiB, '1000 MiB'],
    [1048575, '1 MiB'], // 1023.999 KiB rounds up a unit
    [Math.round(1020.6 * KiB), '1021 KiB'],
    [10 * GiB, '10 GiB'],
    [2 ** 50, '1 PiB'],
    [-1536, '-1.5 KiB']
  ])('%d is %j', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [45 * M, '45m'],
    [59 * M + 59_999, '59m'],
    [H, '1h'],
    [90 * M, '1h 30m'],
    [36 * H, '36h'],
    [47 * H + 59 * M, '47h 59m'],
    [2 * D, '2d'],
    [7 * D, '7d'],
    [9 * D + 4 * H, '9d 4h'],
    [9 * D + 4 * H + 59 * M, '9d 4h'],
    [-(45 * M), '-45m']
  ])('%d is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each([
    ['45m', '45m'],
    ['90m', '1h 30m'],
    ['36h', '36h'],
    ['7d', '7d'],
    ['2w', '14d']
  ])('shows the parsed %j as %j', (text, shown) => {
    expect(formatDuration(parseDuration(text, 'x') as number)).toBe(shown)
  })
})

describe('fuzz: every parser returns a value or throws an InputError', () => {
  const interesting = fc.constantFrom(
    ...'0123456789.-+ eEmhdwsbBkKMGTiI/_*?,\n\r\t'.split(''),
    'Infinity',
    'NaN',
    '\u00a0',
    '٣',
    '😀'
  )
  const strings = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: interesting, maxLength: 12 })
  )
  const only = (f: () => unknown): void => {
    try {
      f()
    } catch (e) {
      if (!(e instanceof InputError)) throw e
    }
  }
  it('parseDuration', () => {
    fc.assert(
      fc.property(strings, s => {
        only(() => {
          const ms = parseDuration(s, 'x')
          if (ms !== undefined) expect(Number.isSafeInteger(ms) && ms > 0).toBe(true)
        })
      }),
      { numRuns: 200 }
    )
  })
  it('parseSize', () => {
    fc.assert(
      fc.property(strings, s => {
        only(() => {
          const n = parseSize(s, 'x')
          if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0).toBe(true)
        })
      }),
      { numRuns: 200 }
    )
  })
  it('parseCount, parseBoolean, parseChoice, parseRepository(Pattern)', () => {
    fc.assert(
      fc.property(strings, s => {
        only(() => {
          const n = parseCount(s, 'x')
          if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0).toBe(true)
        })
        only(() => expect(typeof parseBoolean(s, 'x', false)).toBe('boolean'))
        only(() => expect(['a', 'b']).toContain(parseChoice(s, 'x', ['a', 'b'], 'a')))
        only(() => parseRepository(s, 'x'))
        only(() => parseRepositoryPattern(s, 'x'))
        expect(parseLines(s).every(l => l !== '' && l === l.trim())).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
  it('parsed sizes and durations read back from their canonical text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), n => {
        expect(parseSize(String(n), 'x')).toBe(n)
        expect(parseSize(`${n}B`, 'x')).toBe(n)
      }),
      { numRuns: 100 }
    )
  })
})

describe('what only a slip would change', () => {
  const message = (read: () => unknown): string => inputError(read).message

  it('calls a sign inside the text a malformed value, not a negative one', () => {
    expect(message(() => parseDuration('7-d', 'older-than'))).toContain(
      "'7-d' is not a duration: expected one number and one unit"
    )
    expect(message(() => parseSize('5+MB', 'larger-than'))).toContain("'5+MB' is not a size;")
    expect(message(() => parseSize('5+MB', 'larger-than'))).not.toContain('negative')
  })

  it('takes durations and sizes up to the largest safe integer, and refuses one past it', () => {
    expect(parseSize('9007199254740991', 'max-total-size')).toBe(Number.MAX_SAFE_INTEGER)
    expect(message(() => parseSize('9007199254740993', 'max-total-size'))).toContain('is too large')
    // the one decimal of minutes that comes to exactly 2^53 - 1 ms (seconds never do)
    expect(parseDuration('150119987579.0165m', 'older-than')).toBe(Number.MAX_SAFE_INTEGER)
    expect(message(() => parseDuration('9007199254741s', 'older-than'))).toContain(
      'is too long a duration'
    )
    expect(message(() => parseDuration('99999999999999999999w', 'older-than'))).toContain(
      'is too long a duration'
    )
  })

  it('shows the repository as given, without the spaces around it', () => {
    expect(message(() => parseRepository('  octo/..  ', 'repository'))).toBe(
      "Input 'repository': 'octo/..': '..' is not a repository name"
    )
    expect(message(() => parseRepository(' octo/a$b ', 'repository'))).toMatch(
      /^Input 'repository': 'octo\/a\$b': the name 'a\$b' may only hold letters, digits, '-', '_' and '\.', not starting with '-' \(at most 100\)/
    )
    expect(message(() => parseRepositoryPattern(' octo/a$* ', 'repository'))).toMatch(
      /^Input 'repository': 'octo\/a\$\*': the name 'a\$\*' may only hold letters, digits, '-', '_', '\.' and the wildcards '\*' and '\?', not starting with '-' \(at most 100\)/
    )
  })

  it('takes a name pattern of 100 characters, and no longer', () => {
    const name = `${'a'.repeat(99)}*`
    expect(parseRepositoryPattern(`octo/${name}`, 'repository').pattern).toBe(name)
    expect(message(() => parseRepositoryPattern(`octo/a${name}`, 'repository'))).toContain(
      '(at most 100)'
    )
  })
})
