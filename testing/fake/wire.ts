// The shapes the fake sends on the wire, as GitHub's OpenAPI description
// gives them.

/**
 * One cache as the REST API sends it (`actions_caches[]` in GitHub's OpenAPI
 * description, which __tests__/testing/fake-openapi.test.ts checks this
 * against). The fake owns this type: it never borrows the product's reading
 * of the wire, so a mistake there cannot be copied here.
 */
export interface ApiCache {
  id: number
  ref: string
  key: string
  version: string
  last_accessed_at: string
  created_at: string
  size_in_bytes: number
}
