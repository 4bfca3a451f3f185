// What a share link leaves behind: an audit line per creation, download and revocation (owner,
// share id, relative key; never the password or a URL), and a signed `share.downloaded` event per
// download through the owner's ledger outbox.
import { afterEach, expect, test, vi } from 'vitest'
import app from '../../src/index'
import { userRoot } from '../../src/keys'
import { api, config, describeS3, randomBytes, s3Put, testEnv, uniqueUser } from '../helpers'
import type { ReceivedEvent } from '../setup/test-values'

afterEach(() => vi.restoreAllMocks())

async function eventsFor(user: string, count: number): Promise<ReceivedEvent[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const res = await fetch(`${testEnv.TEST_WEBHOOK_RECEIVER_URL}/events?user=${encodeURIComponent(user)}`)
    const events = (await res.json()) as ReceivedEvent[]
    if (events.filter((e) => e.accepted > 0).length >= count || Date.now() > deadline) return events
    await new Promise((r) => setTimeout(r, 250))
  }
}

describeS3('share link events', () => {
  test('creation, each download and revocation are audited; each download is a share.downloaded event', async () => {
    const owner = uniqueUser('shareaudit')
    const key = 'files/plan.txt'
    await s3Put(userRoot(config.userPrefix, owner) + key, randomBytes(33), 'text/plain')
    const log = vi.spyOn(console, 'log')

    const created = await api('/api/shares', {
      method: 'POST',
      user: owner,
      json: { key, expiresIn: 600, maxDownloads: 5, password: 'hunter2 hunter2' },
    })
    const { id } = (await created.json()) as { id: string }
    const form = (password: string) =>
      app.request(
        `http://localhost/s/${id}/download`,
        {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
          body: new URLSearchParams({ password }).toString(),
        },
        testEnv,
      )
    expect((await form('hunter2 hunter2')).status).toBe(302)
    expect((await form('wrong')).status).toBe(403)
    expect((await form('hunter2 hunter2')).status).toBe(302)
    expect((await api(`/api/shares/${id}`, { method: 'DELETE', user: owner })).status).toBe(204)

    const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('{"audit"'))
    const entries = lines.map((line) => JSON.parse(line))
    expect(entries.map((e) => [e.audit, e.downloads])).toEqual([
      ['share_created', undefined],
      ['share_downloaded', 1],
      ['share_downloaded', 2],
      ['share_revoked', undefined],
    ])
    for (const e of entries) expect(e).toMatchObject({ user: owner, share: id, key, requestId: expect.any(String) })
    for (const line of lines) {
      expect(line).not.toContain('hunter2')
      expect(line).not.toContain('users/')
      expect(line).not.toContain('X-Amz')
    }

    const events = await eventsFor(owner, 2)
    expect(events.map((e) => [e.type, e.data, e.accepted, e.invalid])).toEqual(
      [1, 2].map((downloads) => [
        'share.downloaded',
        { user: owner, share: id, key, name: 'plan.txt', size: 33, downloads, maxDownloads: 5 },
        1,
        0,
      ]),
    )
  }, 40_000)
})
