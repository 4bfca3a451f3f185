// The operator's repair: POST /api/admin/ledgers/:user/rebuild (behind ADMIN_TOKEN) rebuilds one
// user's ledger from an S3 listing and reports the drift; `npm run doctor -- --ledger USER` calls it.
import { expect, test } from 'vitest'
import { runInDurableObject } from 'cloudflare:test'
import { api, config, describeS3, errorOf, randomBytes, s3Put, uniqueUser } from '../../helpers'
import { userRoot } from '../../../src/keys'
import type { UserLedger } from '../../../src/ledger/user-ledger'
import { confirm, ledgerStub, requestTicket, ticketOf, uploadThrough, usageOf, withSettings } from './ledger-helpers'

const ADMIN_TOKEN = 'test-only-admin-token-0123456789abcdef'
const env = withSettings({ ADMIN_TOKEN })

function rebuild(user: string, token = ADMIN_TOKEN, bindings: object = env) {
  return api(
    `/api/admin/ledgers/${encodeURIComponent(user)}/rebuild`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: '',
    },
    bindings,
  )
}

describeS3('ledger repair', () => {
  test('a rebuild counts what S3 holds, drops what it does not, and reports both', async () => {
    const user = uniqueUser('repair')
    const root = userRoot(config.userPrefix, user)
    const kept = await ticketOf(await requestTicket(env, user, 20))
    await uploadThrough(kept, randomBytes(20))
    expect((await confirm(env, user, kept.key)).status).toBe(200)
    // Drift both ways: an object placed behind the ledger's back, and a row for an object that is gone.
    await s3Put(`${root}by-hand/extra.txt`, randomBytes(7), 'text/plain')
    await runInDurableObject(ledgerStub(user), (_: UserLedger, state) => {
      state.storage.sql.exec(
        "INSERT INTO files (key, size, type, etag, recorded_at) VALUES (?, 5, 'text/plain', 'x', 0)",
        `${root}gone/ghost.txt`,
      )
      state.storage.sql.exec('UPDATE totals SET bytes = bytes + 5, files = files + 1')
    })
    expect(await usageOf(env, user)).toMatchObject({ bytes: 25, files: 2 })

    const res = await rebuild(user)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      user,
      before: { bytes: 25, files: 2 },
      after: { bytes: 27, files: 2 },
      added: ['by-hand/extra.txt'],
      removed: ['gone/ghost.txt'],
      resized: [],
    })
    expect(await usageOf(env, user)).toMatchObject({ bytes: 27, files: 2 })
    // A second rebuild finds nothing to fix.
    expect(await (await rebuild(user)).json()).toMatchObject({ added: [], removed: [], resized: [] })
  })

  test('admin routes need the token, and do not exist without ADMIN_TOKEN', async () => {
    const user = uniqueUser('nosy')
    expect(await errorOf(await rebuild(user, 'wrong-token-wrong-token-wrong-token'))).toMatchObject({
      status: 401,
      code: 'unauthenticated',
    })
    expect((await rebuild(user, ADMIN_TOKEN, withSettings({}))).status).toBe(404)
    // A user's own bearer token is not an admin token.
    const asUser = await api(`/api/admin/ledgers/${user}/rebuild`, { method: 'POST', user, body: '' }, env)
    expect(asUser.status).toBe(401)
  })
})
