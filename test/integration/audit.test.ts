// The audit trail: each ticket, confirmation, download redirect, delete and quota refusal is one
// JSON line with user, action, key, size and request id, and nothing secret.
import { afterEach, expect, test, vi } from 'vitest'
import { api, config, describeS3, filePath, randomBytes, uniqueUser } from '../helpers'
import { confirm, requestTicket, ticketOf, uploadThrough, withSettings } from './ledger/ledger-helpers'

afterEach(() => vi.restoreAllMocks())

describeS3('audit', () => {
  test('ticket, confirm, download, delete and a quota refusal each log one line', async () => {
    const env = withSettings({ USER_QUOTA_BYTES: '100' })
    const user = uniqueUser('audited')
    const log = vi.spyOn(console, 'log')
    const ticket = await ticketOf(await requestTicket(env, user, 60))
    await uploadThrough(ticket, randomBytes(60))
    await confirm(env, user, ticket.key)
    await api(filePath(ticket.key), { user }, env)
    await requestTicket(env, user, 50)
    await api(filePath(ticket.key), { method: 'DELETE', user }, env)

    const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('{"audit"'))
    const entries = lines.map((line) => JSON.parse(line))
    expect(entries.map((e) => e.audit)).toEqual(['ticket', 'confirm', 'download', 'quota_refused', 'delete'])
    for (const e of entries) {
      expect(e).toMatchObject({ user, requestId: expect.any(String) })
      expect(Object.keys(e).sort()).toEqual(
        ['audit', 'user', 'key', 'size', 'requestId'].filter((k) => e[k] !== undefined).sort(),
      )
    }
    expect(entries[3]).toMatchObject({ size: 50 })
    for (const line of lines) {
      expect(line).not.toContain(config.s3.secretAccessKey)
      expect(line).not.toContain('users/')
    }
  })
})
