// Shared test helpers (run inside workerd): the app under test, tokens, and direct S3 access for
// checking what really landed in the bucket.
import { env } from 'cloudflare:workers'
import { describe } from 'vitest'
import { AwsClient } from 'aws4fetch'
import { SignJWT } from 'jose'
import app from '../src/index'
import { readConfig } from '../src/config'
import { objectUrl } from '../src/s3/urls'
import { TEST_AUTH } from './setup/test-values'

export type TestEnv = typeof env & {
  TEST_RGW_SKIP_REASON: string
  TEST_JWKS_PRIVATE_KEY: string
  TEST_BLACKHOLE_URL: string
  TEST_WEBHOOK_RECEIVER_URL: string
}
export const testEnv = env as TestEnv
export const config = readConfig(testEnv)
export { TEST_AUTH }

/** Suites that need an S3 server that enforces signatures: skipped (loudly, in setup) without RGW. */
export const describeS3 = testEnv.TEST_RGW_SKIP_REASON ? describe.skip : describe

export async function tokenFor(
  sub: string,
  opts: { secret?: string; issuer?: string; audience?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(opts.issuer ?? TEST_AUTH.issuer)
    .setAudience(opts.audience ?? TEST_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(opts.secret ?? TEST_AUTH.jwtSecret))
}

/** Calls the app as `user` (a bearer token for that subject) on http://localhost. */
export async function api(
  path: string,
  init: RequestInit & { user?: string; json?: unknown } = {},
  bindings: object = testEnv,
): Promise<Response> {
  const headers = new Headers(init.headers)
  if (init.user) headers.set('Authorization', `Bearer ${await tokenFor(init.user)}`)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return app.request(`http://localhost${path}`, { ...init, headers, body }, bindings)
}

export type Ticket = {
  key: string
  expiresAt: string
  upload: { method: 'POST'; url: string; fields: Record<string, string> }
}

export async function ticketFor(user: string, file: { name: string; type: string; size: number }): Promise<Ticket> {
  const res = await api('/api/uploads', { method: 'POST', user, json: file })
  if (res.status !== 200) throw new Error(`ticket refused: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The browser's side of an upload: the ticket's fields in order, then the file, as multipart. */
export function postToBucket(
  upload: Ticket['upload'],
  bytes: Uint8Array,
  opts: { type?: string; fields?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData()
  for (const [name, value] of Object.entries({ ...upload.fields, ...opts.fields })) form.append(name, value)
  form.append('file', new Blob([bytes], { type: opts.type ?? upload.fields['Content-Type'] }), 'upload.bin')
  return fetch(upload.url, { method: 'POST', body: form })
}

/** Uploads `bytes` as `user` through a ticket; returns the relative key. */
export async function upload(user: string, name: string, type: string, bytes: Uint8Array): Promise<string> {
  const ticket = await ticketFor(user, { name, type, size: bytes.length })
  const res = await postToBucket(ticket.upload, bytes)
  if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`)
  return ticket.key
}

const admin = new AwsClient({
  accessKeyId: config.s3.accessKeyId,
  secretAccessKey: config.s3.secretAccessKey,
  region: config.s3.region,
  service: 's3',
  retries: 0,
})

/** What S3 itself holds at a full key: status and bytes, bypassing the app. */
export async function s3Get(fullKey: string): Promise<{ status: number; bytes: Uint8Array }> {
  const res = await admin.fetch(objectUrl(config.s3, fullKey))
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) }
}

export async function s3Put(fullKey: string, bytes: Uint8Array, type = 'application/octet-stream'): Promise<void> {
  const res = await admin.fetch(objectUrl(config.s3, fullKey), {
    method: 'PUT',
    body: bytes,
    headers: { 'Content-Type': type },
  })
  if (!res.ok) throw new Error(`PUT ${fullKey}: ${res.status} ${await res.text()}`)
}

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)))
  return out
}

/** A subject no other test uses, so tests never see each other's files. */
export function uniqueUser(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } }
  return { status: res.status, ...body.error }
}

/** The API path of a relative key, each segment percent-encoded as the page does it. */
export function filePath(key: string): string {
  return '/api/files/' + key.split('/').map(encodeURIComponent).join('/')
}

/** A stored object's body as UTF-8: S3 serves it as application/octet-stream, on which workerd's .text() warns. */
export async function objectText(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer())
}
