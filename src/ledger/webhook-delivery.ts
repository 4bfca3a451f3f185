// Upload events for the webhook receiver: the event body, one signed delivery attempt, and the
// retry schedule. Delivery is at-least-once: the ledger keeps each event in its outbox until the
// receiver answers 2xx, resending the same `webhook-id` (receivers deduplicate by it).
import { displayName } from '../uploads/object-names'
import { signWebhook } from './webhook-signature'

export type EventType = 'upload.completed' | 'file.deleted'

export type EventData = { user: string; key: string; size: number; contentType: string; etag: string }

/** A receiver gets this long to answer before the attempt counts as failed. */
const DELIVERY_TIMEOUT_MS = 10_000
/** First retry after 2 s, doubling up to every 10 min. */
const FIRST_RETRY_MS = 2_000
const MAX_RETRY_MS = 10 * 60_000
/** An event still undelivered after 3 days is dropped (and logged): the receiver is gone, not down. */
export const OUTBOX_MAX_AGE_MS = 3 * 24 * 3600_000

/** `key` is the caller's relative key; `name` is what the user called the file. */
export function eventBody(type: EventType, at: Date, data: EventData): string {
  return JSON.stringify({
    type,
    timestamp: at.toISOString(),
    data: { ...data, name: displayName(data.key) },
  })
}

export function newEventId(): string {
  return `msg_${crypto.randomUUID().replaceAll('-', '')}`
}

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1))
}

/** One attempt; true when the receiver took it (2xx). Never throws. */
export async function deliver(
  webhook: { url: string; secret: string },
  id: string,
  body: string,
  now: Date,
): Promise<boolean> {
  try {
    const headers = await signWebhook(webhook.secret, id, Math.floor(now.getTime() / 1000), body)
    const res = await fetch(webhook.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    })
    await res.body?.cancel()
    return res.ok
  } catch {
    return false
  }
}
