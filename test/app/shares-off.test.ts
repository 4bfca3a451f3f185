// A deployment without the SHARES binding has no share links: /api/me says so, the API answers
// 404 shares_disabled, and every /s/ link is an unknown one.
import { expect, it } from 'vitest'
import app from '../../src/index'
import { api, errorOf, testEnv } from '../helpers'

const { SHARES: _shares, ...withoutShares } = testEnv as typeof testEnv & { SHARES: unknown }

it('turns share links off without the SHARES binding', async () => {
  const me = (await (await api('/api/me', { user: 'olga' }, withoutShares)).json()) as {
    limits: { shareMaxSeconds: number | null }
  }
  expect(me.limits.shareMaxSeconds).toBeNull()
  const create = await api(
    '/api/shares',
    { method: 'POST', user: 'olga', json: { key: 'a.txt', expiresIn: 600 } },
    withoutShares,
  )
  expect(await errorOf(create)).toMatchObject({ status: 404, code: 'shares_disabled' })
  const page = await app.request('http://localhost/s/AAAAAAAAAAAAAAAAAAAAAA', {}, withoutShares)
  expect(page.status).toBe(404)
  expect(page.headers.get('Content-Type')).toMatch(/^text\/html/)
})

it('states the longest share link in /api/me when share links are on', async () => {
  const me = (await (await api('/api/me', { user: 'olga' })).json()) as { limits: { shareMaxSeconds: number | null } }
  expect(me.limits.shareMaxSeconds).toBe(7 * 86_400)
})
