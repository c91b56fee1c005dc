// The `repository` input as a list of one owner's repositories (a shard of
// `repository-shards`): which texts are lists, what a list holds, and the
// errors, each naming the input. The pattern form is tested with the
// organization-wide prune (__tests__/e2e/org-prune.test.ts).
import fc from 'fast-check'
import { InputError } from '../../src/engine/errors.js'
import { parseRepoPattern } from '../../src/engine/repo-pattern.js'

const parse = (text: string) => parseRepoPattern(text, 'repository')

function refusal(text: string): InputError {
  try {
    parse(text)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`${JSON.stringify(text)} was accepted`)
}

describe('a list of repositories', () => {
  it('is two lines or more without a wildcard or a `!`', () => {
    expect(parse('octo/a\nocto/b')?.list).toEqual(['octo/a', 'octo/b'])
    expect(parse(' octo/a \r\n\r\n octo/b\n')?.list).toEqual(['octo/a', 'octo/b'])
    // one line names one repository; a wildcard or a `!` makes a pattern
    expect(parse('octo/a')).toBeUndefined()
    expect(parse('octo/a\nocto/b-*')?.list).toBeUndefined()
    expect(parse('octo/a\nocto/b\n!octo/b')?.list).toBeUndefined()
  })

  it('keeps the order given and each repository once, compared without case', () => {
    const p = parse('octo/zeta\nocto/alpha\nOCTO/Zeta\nocto/beta\nocto/alpha')
    expect(p?.owner).toBe('octo')
    expect(p?.list).toEqual(['octo/zeta', 'octo/alpha', 'octo/beta'])
    expect(p?.lines).toHaveLength(5)
  })

  it('matches exactly its repositories, without case', () => {
    const p = parse('octo/a\nocto/b.c')
    expect(['octo/a', 'OCTO/A', 'octo/B.C'].map(n => p?.matches(n))).toEqual([true, true, true])
    expect(['octo/ab', 'octo/b', 'other/a', 'octo/a/x'].map(n => p?.matches(n))).toEqual([
      false,
      false,
      false,
      false
    ])
  })

  it.each([
    [
      'octo/a\nother/b',
      "names the owner 'other', but 'octo/a' names 'octo': a list names repositories of one owner"
    ],
    ['octo/a\nocto/..', "'..' is not a repository name"],
    ['octo/a\nocto/.', "'.' is not a repository name"],
    ['octo/a\nocto/-rf', "the name '-rf' starts with '-'"],
    ['octo/a\n-octo/b', "the owner '-octo' starts with '-'"],
    ['octo/a\nocto/b c', "the name 'b c' may only hold"],
    ['octo/a\nocto/ü', "the name 'ü' may only hold"],
    ['octo/a\nocto', 'is not a repository'],
    ['octo/a\nocto/b/c', 'is not a repository'],
    [`octo/a\nocto/${'x'.repeat(101)}`, 'at most 100']
  ])('%j is refused', (text, message) => {
    const e = refusal(text)
    expect(e.input).toBe('repository')
    expect(e.message).toContain("Input 'repository'")
    expect(e.message).toContain(message)
  })

  it('holds every name given, once, for any list of valid names', () => {
    const char = fc.constantFrom(...'abcXYZ019-_.'.split(''))
    const name = fc
      .array(char, { minLength: 1, maxLength: 12 })
      .map(cs => cs.join(''))
      .filter(n => n !== '.' && n !== '..' && !n.startsWith('-'))
    fc.assert(
      fc.property(fc.array(name, { minLength: 2, maxLength: 30 }), names => {
        const p = parse(names.map(n => `octo/${n}`).join('\n'))
        const unique = [...new Map(names.map(n => [n.toLowerCase(), n])).keys()]
        expect(p?.list?.map(n => n.toLowerCase())).toEqual(unique.map(n => `octo/${n}`))
        for (const n of names) expect(p?.matches(`octo/${n}`)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})
