// Confirming an upload: the ledger HEADs the object and records it only when it is the caller's,
// was reserved by a ticket, and matches the ticket's size and type. Confirming twice is harmless.
import { expect, test } from 'vitest'
import { runInDurableObject } from 'cloudflare:test'
import { config, describeS3, errorOf, randomBytes, s3Put, testEnv, uniqueUser } from '../../helpers'
import { userRoot } from '../../../src/keys'
import { UserLedger } from '../../../src/ledger/user-ledger'
import {
  confirm,
  ledgerRows,
  ledgerStub,
  requestTicket,
  ticketOf,
  uploadThrough,
  usageOf,
  withSettings,
} from './ledger-helpers'

const env = withSettings({})
const rootOf = (user: string) => userRoot(config.userPrefix, user)

describeS3('confirm', () => {
  test('an uploaded file is recorded with S3’s size, type and ETag; a second confirm answers the same', async () => {
    const user = uniqueUser('confirm')
    const ticket = await ticketOf(await requestTicket(env, user, 100))
    await uploadThrough(ticket, randomBytes(100))
    const first = await confirm(env, user, ticket.key)
    expect(first.status).toBe(200)
    const body = await first.json()
    expect(body).toMatchObject({
      key: ticket.key,
      size: 100,
      type: 'text/plain',
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
    const again = await confirm(env, user, ticket.key)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(body)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 100, files: 1 })
    expect(await ledgerRows(user)).toEqual({
      files: [{ key: rootOf(user) + ticket.key, size: 100, type: 'text/plain' }],
      // Still watched, no longer held: its ticket could upload again until it expires.
      reservations: [{ key: rootOf(user) + ticket.key, size: 100, held: 0 }],
    })
  })

  test('another user’s key is refused and nothing is recorded for either user', async () => {
    const owner = uniqueUser('owner')
    const other = uniqueUser('other')
    const ticket = await ticketOf(await requestTicket(env, owner, 10))
    await uploadThrough(ticket, randomBytes(10))
    expect(await errorOf(await confirm(env, other, ticket.key))).toMatchObject({ status: 404, code: 'not_reserved' })
    expect((await ledgerRows(other)).files).toEqual([])
    expect((await ledgerRows(owner)).files).toEqual([])
  })

  test('an object of the wrong size or type, placed straight into S3 at a ticket’s key, is refused', async () => {
    const user = uniqueUser('mismatch')
    const sized = await ticketOf(await requestTicket(env, user, 100))
    await s3Put(rootOf(user) + sized.key, randomBytes(99), 'text/plain')
    const wrongSize = await errorOf(await confirm(env, user, sized.key))
    expect(wrongSize).toMatchObject({ status: 409, code: 'upload_mismatch' })
    expect(wrongSize.message).toContain('99 bytes')

    const typed = await ticketOf(await requestTicket(env, user, 10))
    await s3Put(rootOf(user) + typed.key, randomBytes(10), 'image/png')
    expect(await errorOf(await confirm(env, user, typed.key))).toMatchObject({ status: 409, code: 'upload_mismatch' })

    const rows = await ledgerRows(user)
    expect(rows.files).toEqual([])
    expect(rows.reservations).toHaveLength(2)
  })

  test('a key no ticket reserved is refused, even with an object there', async () => {
    const user = uniqueUser('unreserved')
    await s3Put(`${rootOf(user)}placed/by-hand.txt`, randomBytes(5), 'text/plain')
    expect(await errorOf(await confirm(env, user, 'placed/by-hand.txt'))).toMatchObject({
      status: 404,
      code: 'not_reserved',
    })
    expect((await ledgerRows(user)).files).toEqual([])
  })

  test('a ticket not yet used is not confirmed: 409, the reservation stays', async () => {
    const user = uniqueUser('early')
    const ticket = await ticketOf(await requestTicket(env, user, 10))
    expect(await errorOf(await confirm(env, user, ticket.key))).toMatchObject({ status: 409, code: 'not_uploaded' })
    expect((await ledgerRows(user)).reservations).toHaveLength(1)
  })

  test('S3 not answering during confirm: 504-class refusal, the reservation stays for the alarm', async () => {
    const user = uniqueUser('s3-down')
    const ticket = await ticketOf(await requestTicket(env, user, 10))
    const key = rootOf(user) + ticket.key
    const outcome = await runInDurableObject(ledgerStub(user), (_: UserLedger, state) => {
      // The same object's storage, with an S3 endpoint that accepts connections and never answers.
      const stalled = new UserLedger(state, {
        ...testEnv,
        S3_ENDPOINT: testEnv.TEST_BLACKHOLE_URL,
        S3_TIMEOUT_MS: '300',
      })
      return stalled.confirm({ id: user, root: rootOf(user) }, key, {})
    })
    expect(outcome).toMatchObject({ ok: false, code: 's3_timeout' })
    expect((await ledgerRows(user)).reservations).toEqual([{ key, size: 10, held: 1 }])
  })

  test('without a LEDGER binding tickets work and /api/me reports no usage; quotas then refuse to start', async () => {
    const { LEDGER: _, ...rest } = testEnv
    const bare = { ...rest, WEBHOOK_URL: '' }
    const user = uniqueUser('no-ledger')
    expect((await requestTicket(bare, user, 10)).status).toBe(200)
    expect(await usageOf(bare, user)).toBeNull()
    const refused = await errorOf(await requestTicket({ ...bare, USER_QUOTA_BYTES: '10' }, user, 10))
    expect(refused).toMatchObject({ status: 500, code: 'config_error' })
    expect(refused.message).toContain('LEDGER')
  })
})
