// Never lose count: every reservation is settled by the ledger's alarm once its ticket expired. An
// object at its key is counted (skipping the confirm, or deleting and uploading again with the same
// ticket, dodges nothing); a ticket never used is released.
import { expect, test } from 'vitest'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { api, config, describeS3, filePath, randomBytes, uniqueUser } from '../../helpers'
import { userRoot } from '../../../src/keys'
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

/** A short ticket life (room for the uploads below on a busy machine) and no grace: seconds, not an hour. */
const TTL_SECONDS = 15
const env = withSettings({ UPLOAD_TTL_SECONDS: String(TTL_SECONDS), LEDGER_GRACE_SECONDS: '0' })

describeS3('settling expired reservations', () => {
  test('after the tickets’ TTL, every object their keys hold counts and unused tickets are released', async () => {
    const user = uniqueUser('settle')
    const root = userRoot(config.userPrefix, user)
    const del = (key: string) => api(filePath(key), { method: 'DELETE', user }, env)
    // Uploaded, never confirmed.
    const used = await ticketOf(await requestTicket(env, user, 300))
    await uploadThrough(used, randomBytes(300))
    // Never used.
    const unused = await ticketOf(await requestTicket(env, user, 700))
    // Confirmed, deleted, then uploaded again with the same (replayable) POST ticket.
    const replayed = await ticketOf(await requestTicket(env, user, 50))
    await uploadThrough(replayed, randomBytes(50))
    expect((await confirm(env, user, replayed.key)).status).toBe(200)
    expect((await del(replayed.key)).status).toBe(204)
    await uploadThrough(replayed, randomBytes(50))
    // "Deleted" before its upload (404), which must not end the reservation, then uploaded.
    const early = await ticketOf(await requestTicket(env, user, 70))
    expect((await del(early.key)).status).toBe(404)
    await uploadThrough(early, randomBytes(70))
    expect(await usageOf(env, user)).toMatchObject({ bytes: 1070, files: 3 })

    const expiry = Math.max(...[used, unused, replayed, early].map((t) => Date.parse(t.expiresAt)))
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 200))
    // The alarm is due now; run it if it has not run by itself yet.
    await runDurableObjectAlarm(ledgerStub(user))

    const rows = await ledgerRows(user)
    expect(rows.reservations).toEqual([])
    expect(rows.files.sort((a, b) => a.size - b.size)).toEqual([
      { key: root + replayed.key, size: 50, type: 'text/plain' },
      { key: root + early.key, size: 70, type: 'text/plain' },
      { key: root + used.key, size: 300, type: 'text/plain' },
    ])
    expect(await usageOf(env, user)).toMatchObject({ bytes: 420, files: 3 })
  }, 40_000)
})
