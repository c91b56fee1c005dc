// An in-memory AdminApi for unit tests of reading and setting limits: a
// server that keeps at most 90 days of retention, and records its calls.
import type { AdminApi, LimitKind, UsagePolicy } from '../../src/github/ports.js'

export function memoryApi(initial: { retention?: number; storage?: number; policy?: UsagePolicy }) {
  const state = { retention: 7, storage: 10, ...initial }
  let policy: UsagePolicy = initial.policy ?? { repoCacheSizeLimitGb: 10 }
  const calls: string[] = []
  const api: AdminApi = {
    getRepoUsage: async () => {
      throw new Error('not used')
    },
    getOrgUsage: async () => {
      throw new Error('not used')
    },
    listRepoUsage: async () => {
      throw new Error('not used')
    },
    getEnterpriseUsage: async () => {
      throw new Error('not used')
    },
    getUsagePolicy: async () => {
      calls.push('GET policy')
      return policy
    },
    setUsagePolicy: async (_t, p) => {
      calls.push(`PATCH ${JSON.stringify(p)}`)
      policy = { ...policy, ...p }
    },
    getLimit: async (_t, kind: LimitKind) => {
      calls.push(`GET ${kind}`)
      return state[kind]
    },
    setLimit: async (_t, kind: LimitKind, value: number) => {
      calls.push(`PUT ${kind} ${value}`)
      // a server that keeps at most 90 days
      state[kind] = kind === 'retention' ? Math.min(value, 90) : value
    }
  }
  return { api, calls }
}
