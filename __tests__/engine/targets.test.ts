// Which family of endpoints a server has, from its API URL.
import { detectFamily } from '../../src/engine/targets.js'

describe('detectFamily', () => {
  it.each([
    ['https://api.github.com', 'github.com'],
    ['https://api.octocorp.ghe.com', 'github.com'],
    ['https://ghes.example.com/api/v3', 'ghes'],
    ['https://ghes.example.com/api/v3/', 'ghes'],
    ['http://127.0.0.1:8080', 'github.com'],
    ['http://127.0.0.1:8080/api/v3', 'ghes']
  ])('%s is %s', (url, family) => {
    expect(detectFamily(url)).toBe(family)
  })
})
