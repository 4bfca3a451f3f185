// Per-user rate limits through the Workers Rate Limiting binding (wrangler config `ratelimits`):
// a burst of tickets over TICKET_LIMITER's limit gets 429 `rate_limited` with Retry-After; other
// users are not held back, and a deployment without the binding has no limit.
import { expect, test } from 'vitest'
import { api, errorOf, testEnv, uniqueUser } from '../helpers'

const requestTicket = (env: object, user: string, size: number) =>
  api('/api/uploads', { method: 'POST', user, json: { name: 'a.txt', type: 'text/plain', size } }, env)

/** More than the ticket limit in wrangler config (120 a minute per user). */
const BURST = 130

test('a burst of tickets over the limit gets 429 rate_limited with Retry-After; another user is unaffected', async () => {
  const user = uniqueUser('burst')
  const answers = await Promise.all(Array.from({ length: BURST }, () => requestTicket(testEnv, user, 1)))
  const limited = answers.filter((r) => r.status === 429)
  expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0)
  expect(limited.length).toBeGreaterThanOrEqual(BURST - 120)
  expect(limited[0].headers.get('Retry-After')).toBe('60')
  expect(await errorOf(limited[0])).toMatchObject({ code: 'rate_limited' })
  expect((await requestTicket(testEnv, uniqueUser('calm'), 1)).status).toBe(200)
})

test('without the limiter binding there is no limit', async () => {
  const { TICKET_LIMITER: _, ...unlimited } = testEnv
  const user = uniqueUser('unlimited')
  const answers = await Promise.all(Array.from({ length: BURST }, () => requestTicket(unlimited, user, 1)))
  expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
})
