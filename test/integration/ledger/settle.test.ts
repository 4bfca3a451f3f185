// Never lose count: a reservation whose ticket expires unconfirmed is settled by the ledger's alarm.
// An object that arrived is counted (skipping the confirm dodges nothing); a ticket never used is released.
import { expect, test } from 'vitest'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { config, describeS3, randomBytes, uniqueUser } from '../../helpers'
import { userRoot } from '../../../src/keys'
import { ledgerRows, ledgerStub, requestTicket, ticketOf, uploadThrough, usageOf, withSettings } from './ledger-helpers'

/** The shortest ticket life, and no grace after it, so the test waits seconds, not an hour. */
const TTL_SECONDS = 10
const env = withSettings({ UPLOAD_TTL_SECONDS: String(TTL_SECONDS), LEDGER_GRACE_SECONDS: '0' })

describeS3('settling expired reservations', () => {
  test('after the ticket’s TTL an unconfirmed upload is counted and an unused ticket is released', async () => {
    const user = uniqueUser('settle')
    const used = await ticketOf(await requestTicket(env, user, 300))
    const unused = await ticketOf(await requestTicket(env, user, 700))
    await uploadThrough(used, randomBytes(300))
    expect(await usageOf(env, user)).toMatchObject({ bytes: 1000, files: 2 })

    const expiry = Math.max(Date.parse(used.expiresAt), Date.parse(unused.expiresAt))
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 200))
    // The alarm is due now; run it if it has not run by itself yet.
    await runDurableObjectAlarm(ledgerStub(user))

    const root = userRoot(config.userPrefix, user)
    expect(await ledgerRows(user)).toEqual({
      files: [{ key: root + used.key, size: 300, type: 'text/plain' }],
      reservations: [],
    })
    expect(await usageOf(env, user)).toMatchObject({ bytes: 300, files: 1 })
  }, 30_000)
})
