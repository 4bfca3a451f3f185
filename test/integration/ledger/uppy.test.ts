// The ledger holds Uppy's uploads to the same rules as the API's own: /s3/params and /s3/multipart
// reserve against the quota (a ticket of unknown size reserves the most it allows), completion counts
// the file and sends upload.completed, an abort releases the reservation; refusals keep Uppy's shape.
import { expect, test } from 'vitest'
import { api, describeS3, postToBucket, randomBytes, testEnv, uniqueUser } from '../../helpers'
import { ledgerRows, usageOf, withSettings } from './ledger-helpers'
import type { ReceivedEvent } from '../../setup/test-values'
import { userRoot } from '../../../src/keys'

const MiB = 1024 ** 2
const receiver = testEnv.TEST_WEBHOOK_RECEIVER_URL

function uppy(env: object, user: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  return api(`/api/uppy${path}`, { ...init, user }, env)
}

function createMultipart(env: object, user: string, size: number) {
  const json = { filename: 'scan.pdf', type: 'application/pdf', metadata: { size } }
  return uppy(env, user, '/s3/multipart', { method: 'POST', json })
}

async function eventsFor(user: string, until: (events: ReceivedEvent[]) => boolean): Promise<ReceivedEvent[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const events: ReceivedEvent[] = await (await fetch(`${receiver}/events?user=${encodeURIComponent(user)}`)).json()
    if (until(events) || Date.now() > deadline) return events
    await new Promise((r) => setTimeout(r, 250))
  }
}

describeS3('the ledger and the Uppy routes', () => {
  test("a quota refusal keeps Uppy's top-level message; a ticket without a size reserves UPLOAD_MAX_BYTES", async () => {
    const env = withSettings({ USER_QUOTA_BYTES: String(6 * MiB), UPLOAD_MAX_BYTES: String(4 * MiB) })
    const user = uniqueUser('uppy-quota')
    const unsized = await uppy(env, user, '/s3/params?filename=a.txt&type=text/plain')
    expect(unsized.status).toBe(200)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 4 * MiB, files: 1 })

    const refused = await uppy(env, user, `/s3/params?filename=b.txt&type=text/plain&metadata[size]=${3 * MiB}`)
    expect(refused.status).toBe(413)
    const body = (await refused.json()) as { message: string; error: { code: string; message: string } }
    expect(body.error.code).toBe('quota_exceeded')
    expect(body.message).toBe(body.error.message)
    expect((await uppy(env, user, `/s3/params?filename=c.txt&type=text/plain&metadata[size]=${2 * MiB}`)).status).toBe(
      200,
    )
  })

  test('a multipart upload is reserved at creation, counted at completion with an upload.completed event', async () => {
    const env = withSettings({ UPLOAD_MAX_BYTES: String(64 * MiB) })
    const user = uniqueUser('uppy-mp')
    const bytes = randomBytes(5 * MiB + 10)
    const up = (await (await createMultipart(env, user, bytes.length)).json()) as { key: string; uploadId: string }
    expect((await ledgerRows(user)).reservations).toMatchObject([{ size: bytes.length, held: 1 }])

    const base = `/s3/multipart/${up.uploadId}`
    const query = `?key=${encodeURIComponent(up.key)}`
    const etags: string[] = []
    for (const [n, part] of [bytes.subarray(0, 5 * MiB), bytes.subarray(5 * MiB)].entries()) {
      const { url } = (await (await uppy(env, user, `${base}/${n + 1}${query}`)).json()) as { url: string }
      etags.push((await fetch(url, { method: 'PUT', body: part })).headers.get('ETag')!)
    }
    const done = await uppy(env, user, `${base}/complete${query}`, {
      method: 'POST',
      json: { parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
    })
    expect(done.status).toBe(200)
    expect((await ledgerRows(user)).files).toMatchObject([{ size: bytes.length, type: 'application/pdf' }])
    expect(await usageOf(env, user)).toMatchObject({ bytes: bytes.length, files: 1 })
    const [event] = await eventsFor(user, (events) => events.some((e) => e.accepted > 0))
    expect(event).toMatchObject({
      type: 'upload.completed',
      data: { user, key: up.key, name: 'scan.pdf', size: bytes.length, contentType: 'application/pdf' },
    })
  }, 40_000)

  test('an aborted multipart upload gives its reservation back', async () => {
    const env = withSettings({ USER_QUOTA_BYTES: String(8 * MiB), UPLOAD_MAX_BYTES: String(64 * MiB) })
    const user = uniqueUser('uppy-abort')
    const up = (await (await createMultipart(env, user, 6 * MiB)).json()) as { key: string; uploadId: string }
    expect((await createMultipart(env, user, 6 * MiB)).status).toBe(413)
    const query = `?key=${encodeURIComponent(up.key)}`
    expect((await uppy(env, user, `/s3/multipart/${up.uploadId}${query}`, { method: 'DELETE' })).status).toBe(200)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 0, files: 0 })
    expect((await createMultipart(env, user, 6 * MiB)).status).toBe(200)
  })

  test('a single upload through /s3/params is counted once the page confirms it', async () => {
    const env = withSettings({})
    const user = uniqueUser('uppy-post')
    const ticket = (await (
      await uppy(env, user, '/s3/params?filename=n.txt&type=text/plain&metadata[size]=12')
    ).json()) as { method: 'POST'; url: string; fields: Record<string, string> }
    expect((await postToBucket(ticket, randomBytes(12))).status).toBe(201)
    const key = ticket.fields.key.slice(userRoot('users/', user).length)
    const confirmed = await api('/api/uploads/complete', { method: 'POST', user, json: { key } }, env)
    expect(confirmed.status).toBe(200)
    expect(await usageOf(env, user)).toMatchObject({ bytes: 12, files: 1 })
  })
})
