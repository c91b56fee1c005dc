// Reading the Link header's rel="last" page.
import { lastPageOf } from '../../src/github/octokit.js'

describe('lastPageOf', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['<https://x/r/pulls?state=open&page=2>; rel="next"', undefined],
    [
      '<https://x/r/pulls?state=open&page=2>; rel="next", <https://x/r/pulls?state=open&page=7>; rel="last"',
      7
    ],
    ['<https://x/r/branches?page=0>; rel="last"', undefined],
    ['<not a url>; rel="last"', undefined]
  ])('%s', (link, expected) => {
    expect(lastPageOf(link)).toBe(expected)
  })
})
