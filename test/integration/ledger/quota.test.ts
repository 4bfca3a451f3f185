// Quotas are reserved at ticket time in the user's ledger: exact to the byte, never passed by
// concurrent tickets, freed by a delete, and shown in /api/me.
import { expect, test } from 'vitest'
import { api, describeS3, errorOf, filePath, randomBytes, uniqueUser } from '../../helpers'
import { confirm, requestTicket, ticketOf, uploadThrough, usageOf, withSettings } from './ledger-helpers'

describeS3('quota', () => {
  test('tickets fill USER_QUOTA_BYTES exactly to the byte; one more byte is refused in words; a delete makes room', async () => {
    const env = withSettings({ USER_QUOTA_BYTES: '3000' })
    const user = uniqueUser('quota')
    const first = await ticketOf(await requestTicket(env, user, 1000))
    await ticketOf(await requestTicket(env, user, 2000))
    expect(await usageOf(env, user)).toEqual({ bytes: 3000, files: 2, quotaBytes: 3000, quotaFiles: null })

    const refused = await errorOf(await requestTicket(env, user, 1))
    expect(refused).toEqual({
      status: 413,
      code: 'quota_exceeded',
      message: 'This file is 1 bytes but only 0 of your 3000 bytes are left (3000 used)',
    })

    await uploadThrough(first, randomBytes(1000))
    expect((await confirm(env, user, first.key)).status).toBe(200)
    expect((await api(filePath(first.key), { method: 'DELETE', user }, env)).status).toBe(204)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 2000, files: 1 })
    await ticketOf(await requestTicket(env, user, 1000))
    expect((await requestTicket(env, user, 1)).status).toBe(413)
  })

  test('50 concurrent tickets against a 1000-byte quota reserve exactly 1000 bytes', async () => {
    const env = withSettings({ USER_QUOTA_BYTES: '1000' })
    const user = uniqueUser('burst')
    const answers = await Promise.all(Array.from({ length: 50 }, () => requestTicket(env, user, 100)))
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(statuses.filter((s) => s === 413)).toHaveLength(40)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 1000, files: 10 })
  })

  test('USER_QUOTA_FILES counts files, reserved or stored', async () => {
    const env = withSettings({ USER_QUOTA_FILES: '2' })
    const user = uniqueUser('files')
    await ticketOf(await requestTicket(env, user, 10))
    await ticketOf(await requestTicket(env, user, 10))
    const refused = await errorOf(await requestTicket(env, user, 10))
    expect(refused).toMatchObject({ status: 413, code: 'quota_exceeded' })
    expect(refused.message).toBe('You have 2 of 2 files; delete one to upload another')
  })

  test('a multipart upload reserves its whole size when created', async () => {
    const env = withSettings({ USER_QUOTA_BYTES: String(6 * 1024 * 1024), UPLOAD_MAX_BYTES: String(6 * 1024 * 1024) })
    const user = uniqueUser('mp-quota')
    const json = { name: 'big.bin', type: 'text/plain', size: 5 * 1024 * 1024 }
    expect((await api('/api/multipart', { method: 'POST', user, json }, env)).status).toBe(200)
    const refused = await api('/api/multipart', { method: 'POST', user, json }, env)
    expect(await errorOf(refused)).toMatchObject({ status: 413, code: 'quota_exceeded' })
  })

  test('without quotas /api/me still reports usage, with null limits', async () => {
    const user = uniqueUser('unlimited')
    expect(await usageOf(withSettings({}), user)).toEqual({ bytes: 0, files: 0, quotaBytes: null, quotaFiles: null })
  })
})

test('a ledger that cannot be reached: 503 ledger_unavailable, and no ticket', async () => {
  // A namespace whose object never answers, as when the Durable Object is down.
  const unreachable = { getByName: () => ({ reserve: () => Promise.reject(new Error('Durable Object reset')) }) }
  const refused = await requestTicket({ ...withSettings({}), LEDGER: unreachable }, uniqueUser('down'), 10)
  expect(await errorOf(refused)).toMatchObject({ status: 503, code: 'ledger_unavailable' })
})
