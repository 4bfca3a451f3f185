// A Standard Webhooks receiver for the tests (runs in Node): verifies every delivery with the
// `standardwebhooks` package, records each attempt by webhook-id, and can be told to refuse the
// next N deliveries for a user (answering 500) to exercise the ledger's retries.
// POST /hook: a delivery. POST /refuse?user=U&times=N. GET /events?user=U: what arrived for U.
import { createServer, type Server } from 'node:http'
import { Webhook } from 'standardwebhooks'
import type { ReceivedEvent } from './test-values'

export function createWebhookReceiver(secret: string): Server {
  const verifier = new Webhook(secret)
  const events = new Map<string, ReceivedEvent & { user: string }>()
  const refusals = new Map<string, number>()

  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const reply = (status: number, json?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(json === undefined ? '' : JSON.stringify(json))
    }
    if (req.method === 'POST' && url.pathname === '/refuse') {
      refusals.set(url.searchParams.get('user') ?? '', Number(url.searchParams.get('times') ?? '1'))
      return reply(204)
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      const user = url.searchParams.get('user')
      return reply(
        200,
        [...events.values()].filter((e) => e.user === user).map(({ user: _, ...e }) => e),
      )
    }
    if (req.method !== 'POST' || url.pathname !== '/hook') return reply(404)
    const headers = {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    }
    let payload: { type: string; data: Record<string, unknown> & { user: string } }
    let verified = true
    try {
      payload = verifier.verify(body, headers) as typeof payload
    } catch {
      verified = false
      payload = JSON.parse(body)
    }
    const id = headers['webhook-id']
    const event = events.get(id) ?? {
      id,
      type: payload.type,
      data: payload.data,
      user: payload.data.user,
      accepted: 0,
      refused: 0,
      invalid: 0,
    }
    events.set(id, event)
    if (!verified) {
      event.invalid++
      return reply(400)
    }
    const refuse = refusals.get(event.user) ?? 0
    if (refuse > 0) {
      refusals.set(event.user, refuse - 1)
      event.refused++
      return reply(500)
    }
    event.accepted++
    reply(204)
  })
}
