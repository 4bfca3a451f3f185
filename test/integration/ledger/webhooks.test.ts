// Upload events reach WEBHOOK_URL through the ledger's outbox, signed the Standard Webhooks way: the
// receiver (test/setup/webhook-receiver.ts) verifies each with the `standardwebhooks` package. One
// that refuses gets the same webhook-id again later, and each event is accepted exactly once.
import { expect, test } from 'vitest'
import { api, describeS3, filePath, randomBytes, testEnv, uniqueUser } from '../../helpers'
import { confirm, requestTicket, ticketOf, uploadThrough, withSettings } from './ledger-helpers'
import type { ReceivedEvent } from '../../setup/test-values'

const env = withSettings({})
const receiver = testEnv.TEST_WEBHOOK_RECEIVER_URL

async function eventsFor(user: string): Promise<ReceivedEvent[]> {
  return (await fetch(`${receiver}/events?user=${encodeURIComponent(user)}`)).json()
}

/** Polls the receiver until `done` holds for the user's events (retries back off: 2 s, 4 s, 8 s, …). */
async function waitForEvents(user: string, done: (events: ReceivedEvent[]) => boolean): Promise<ReceivedEvent[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const events = await eventsFor(user)
    if (done(events) || Date.now() > deadline) return events
    await new Promise((r) => setTimeout(r, 250))
  }
}

describeS3('webhooks', () => {
  test('a refused delivery comes back with the same webhook-id; upload and delete each arrive exactly once', async () => {
    const user = uniqueUser('hooks')
    expect((await fetch(`${receiver}/refuse?user=${user}&times=1`, { method: 'POST' })).status).toBe(204)
    const ticket = await ticketOf(await requestTicket(env, user, 42, 'text/plain', 'report.txt'))
    await uploadThrough(ticket, randomBytes(42))
    const confirmed = (await (await confirm(env, user, ticket.key)).json()) as { etag: string }

    const [uploaded] = await waitForEvents(user, (events) => events.some((e) => e.accepted > 0))
    expect(uploaded).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'upload.completed',
      data: { user, key: ticket.key, name: 'report.txt', size: 42, contentType: 'text/plain', etag: confirmed.etag },
      accepted: 1,
      refused: 1,
      invalid: 0,
    })

    expect((await api(filePath(ticket.key), { method: 'DELETE', user }, env)).status).toBe(204)
    const events = await waitForEvents(user, (events) => events.length === 2 && events.every((e) => e.accepted > 0))
    expect(events.map((e) => [e.type, e.accepted, e.invalid])).toEqual([
      ['upload.completed', 1, 0],
      ['file.deleted', 1, 0],
    ])
    // Later alarms must not deliver an accepted event again.
    await new Promise((r) => setTimeout(r, 3000))
    expect((await eventsFor(user)).map((e) => e.accepted)).toEqual([1, 1])
  }, 40_000)

  test('a receiver down for several attempts loses nothing: every event queued meanwhile arrives once', async () => {
    const user = uniqueUser('hooks-down')
    expect((await fetch(`${receiver}/refuse?user=${user}&times=3`, { method: 'POST' })).status).toBe(204)
    const ticket = await ticketOf(await requestTicket(env, user, 7))
    await uploadThrough(ticket, randomBytes(7))
    expect((await confirm(env, user, ticket.key)).status).toBe(200)
    expect((await api(filePath(ticket.key), { method: 'DELETE', user }, env)).status).toBe(204)

    const events = await waitForEvents(user, (events) => events.length === 2 && events.every((e) => e.accepted > 0))
    expect(events.map((e) => [e.type, e.accepted, e.invalid])).toEqual([
      ['upload.completed', 1, 0],
      ['file.deleted', 1, 0],
    ])
    expect(events[0].refused).toBeGreaterThan(0)
    expect(events.reduce((n, e) => n + e.refused, 0)).toBe(3)
  }, 60_000)
})
