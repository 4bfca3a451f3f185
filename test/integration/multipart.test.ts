// Multipart uploads through the API against RGW: parts signed with their exact size, resume through
// ListParts, completion checked against what S3 holds, and every step refused for anyone but the
// caller who created the upload.
import { describe, expect, it } from 'vitest'
import { api, config, describeS3, errorOf, filePath, randomBytes, s3Get, testEnv, uniqueUser } from '../helpers'
import { userRoot } from '../../src/keys'
import { signUploadToken } from '../../src/uploads/upload-token'

const MiB = 1024 ** 2
const env = { ...testEnv, UPLOAD_MAX_BYTES: String(64 * MiB), MULTIPART_PART_BYTES: String(5 * MiB) }
/** Three parts: 5 MiB, 5 MiB and the rest. */
const SIZE = 12 * MiB + 123

type Created = {
  key: string
  uploadId: string
  token: string
  size: number
  partSize: number
  partCount: number
  expiresAt: string
}
type PartUrl = { partNumber: number; size: number; url: string; headers: Record<string, string> }

async function create(user: string, size = SIZE, name = 'big video.mp4', type = 'application/pdf') {
  const res = await api('/api/multipart', { method: 'POST', user, json: { name, type, size } }, env)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as Created
}

/** Calls a per-upload route as `user`, with the upload token (unless told otherwise). */
function step(
  user: string,
  up: Pick<Created, 'uploadId' | 'key' | 'token'>,
  path: string,
  init: RequestInit & { json?: unknown; query?: string } = {},
) {
  const headers = new Headers(init.headers)
  if (up.token) headers.set('X-Upload-Token', up.token)
  const query = `key=${encodeURIComponent(up.key)}${init.query ?? ''}`
  return api(`/api/multipart/${encodeURIComponent(up.uploadId)}${path}?${query}`, { ...init, headers, user }, env)
}

async function partUrls(user: string, up: Created, numbers: number[]): Promise<PartUrl[]> {
  const res = await step(user, up, '/part-urls', { query: `&parts=${numbers.join(',')}` })
  expect(res.status).toBe(200)
  return ((await res.json()) as { parts: PartUrl[] }).parts
}

function slice(bytes: Uint8Array, up: Created, n: number) {
  return bytes.subarray((n - 1) * up.partSize, Math.min(bytes.length, n * up.partSize))
}

/** What the browser does with a part URL; returns the ETag S3 gives the part. */
async function putPart(part: PartUrl, body: Uint8Array): Promise<Response> {
  return fetch(part.url, { method: 'PUT', body })
}

async function uploadParts(user: string, up: Created, bytes: Uint8Array, numbers: number[]) {
  const etags: Record<number, string> = {}
  for (const part of await partUrls(user, up, numbers)) {
    const res = await putPart(part, slice(bytes, up, part.partNumber))
    expect(res.status, await res.clone().text()).toBe(200)
    etags[part.partNumber] = res.headers.get('ETag')!
  }
  return etags
}

function complete(user: string, up: Created, etags: Record<number, string>) {
  const parts = Object.entries(etags).map(([n, etag]) => ({ partNumber: Number(n), etag }))
  return step(user, up, '/complete', { method: 'POST', json: { parts } })
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

async function s3Code(res: Response): Promise<string> {
  return /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? ''
}

describeS3('multipart uploads against RGW', () => {
  it('uploads three parts, completes, and downloads byte-identical (sha256)', async () => {
    const user = uniqueUser('mp')
    const bytes = randomBytes(SIZE)
    const up = await create(user)
    expect(up).toMatchObject({ size: SIZE, partSize: 5 * MiB, partCount: 3 })
    expect(up.key).toMatch(/^[0-9a-z]{18}\/big video\.mp4$/)

    const urls = await partUrls(user, up, [1, 2, 3])
    expect(urls.map((p) => p.size)).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 123])
    for (const p of urls) {
      expect(p.headers).toEqual({ 'content-length': String(p.size) })
      expect(new URL(p.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host')
    }
    const responses = await Promise.all(urls.map((p) => putPart(p, slice(bytes, up, p.partNumber))))
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    const etags = Object.fromEntries(responses.map((r, i) => [i + 1, r.headers.get('ETag')!]))

    const done = await complete(user, up, etags)
    expect(done.status, await done.clone().text()).toBe(200)
    expect(await done.json()).toEqual({
      key: up.key,
      size: SIZE,
      usage: { bytes: SIZE, files: 1, quotaBytes: null, quotaFiles: null },
    })

    const stored = await s3Get(userRoot('users/', user) + up.key)
    expect(stored.status).toBe(200)
    expect(await sha256(stored.bytes)).toBe(await sha256(bytes))
    const listed = await api('/api/files', { user }, env)
    expect(((await listed.json()) as { files: unknown[] }).files).toMatchObject([{ key: up.key, size: SIZE }])
    const redirect = await api(filePath(up.key), { user }, env)
    const download = await fetch(redirect.headers.get('Location')!)
    expect(download.headers.get('Content-Type')).toBe('application/pdf')
    expect(await sha256(new Uint8Array(await download.arrayBuffer()))).toBe(await sha256(bytes))
  })

  it('resumes: ListParts shows what arrived after an interrupted part, the rest completes the file', async () => {
    const user = uniqueUser('mp')
    const bytes = randomBytes(SIZE)
    const up = await create(user)
    const first = await uploadParts(user, up, bytes, [1, 3])

    // Part 2 is cut off mid-body: the connection drops before its declared length arrives.
    const [p2] = await partUrls(user, up, [2])
    const cut = new AbortController()
    const stream = new FixedLengthStream(p2.size)
    const writer = stream.writable.getWriter()
    const sending = fetch(p2.url, { method: 'PUT', body: stream.readable, signal: cut.signal }).catch((e: Error) => e)
    await writer.write(slice(bytes, up, 2).subarray(0, MiB))
    await new Promise((r) => setTimeout(r, 100))
    cut.abort()
    await writer.abort().catch(() => {})
    expect(await sending).toBeInstanceOf(Error)

    const listed = await step(user, up, '/parts')
    expect(listed.status).toBe(200)
    const { parts, partCount, partSize } = (await listed.json()) as {
      parts: { partNumber: number; size: number; etag: string }[]
      partCount: number
      partSize: number
    }
    expect({ partCount, partSize }).toEqual({ partCount: 3, partSize: 5 * MiB })
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, 5 * MiB],
      [3, 2 * MiB + 123],
    ])

    const second = await uploadParts(user, up, bytes, [2])
    const etags: Record<number, string> = { ...Object.fromEntries(parts.map((p) => [p.partNumber, p.etag])), ...second }
    expect(etags[1].replace(/"/g, '')).toBe(first[1].replace(/"/g, ''))
    const done = await complete(user, up, etags)
    expect(done.status).toBe(200)
    expect(await sha256((await s3Get(userRoot('users/', user) + up.key)).bytes)).toBe(await sha256(bytes))
  })

  it('RGW refuses a part of the wrong size (403 SignatureDoesNotMatch) and holds nothing for it', async () => {
    const user = uniqueUser('mp')
    const up = await create(user)
    const [p1] = await partUrls(user, up, [1])
    for (const size of [p1.size + 1, p1.size - 1]) {
      const res = await putPart(p1, randomBytes(size))
      expect(res.status).toBe(403)
      expect(await s3Code(res)).toBe('SignatureDoesNotMatch')
    }
    const listed = await step(user, up, '/parts')
    expect(((await listed.json()) as { parts: unknown[] }).parts).toEqual([])
  })

  it('refuses wrong or missing ETags and missing parts as 4xx JSON, then completes with the right ones', async () => {
    const user = uniqueUser('mp')
    const bytes = randomBytes(SIZE)
    const up = await create(user)
    const etags = await uploadParts(user, up, bytes, [1, 2, 3])

    const wrong = await complete(user, up, { ...etags, 2: '"0123456789abcdef0123456789abcdef"' })
    expect(await errorOf(wrong)).toMatchObject({ status: 400, code: 'invalid_parts' })
    const missing = await complete(user, up, { 1: etags[1], 2: etags[2] })
    expect(await errorOf(missing)).toMatchObject({ status: 400, code: 'invalid_parts' })
    const garbage = await step(user, up, '/complete', {
      method: 'POST',
      json: { parts: [{ partNumber: 1, etag: '<x/>' }] },
    })
    expect(await errorOf(garbage)).toMatchObject({ status: 400, code: 'invalid_request' })
    expect((await s3Get(userRoot('users/', user) + up.key)).status).toBe(404)

    expect((await complete(user, up, etags)).status).toBe(200)
  })

  it('refuses part numbers outside the upload, totals above UPLOAD_MAX_BYTES, and other types', async () => {
    const user = uniqueUser('mp')
    const up = await create(user)
    for (const n of ['0', '4', '99999']) {
      const res = await step(user, up, `/parts/${n}`)
      expect(await errorOf(res)).toMatchObject({ status: 400 })
    }
    const batch = await step(user, up, '/part-urls', { query: '&parts=1,4' })
    expect(await errorOf(batch)).toMatchObject({ status: 400, code: 'invalid_part' })

    const huge = await api(
      '/api/multipart',
      { method: 'POST', user, json: { name: 'a.pdf', type: 'application/pdf', size: 64 * MiB + 1 } },
      env,
    )
    expect(await errorOf(huge)).toMatchObject({ status: 413, code: 'too_large' })
    const html = await api(
      '/api/multipart',
      { method: 'POST', user, json: { name: 'a.html', type: 'text/html', size: 6 * MiB } },
      env,
    )
    expect(await errorOf(html)).toMatchObject({ status: 415, code: 'unsupported_type' })
  })

  it('aborts: DELETE answers 204, then the upload and its part URLs are gone (404)', async () => {
    const user = uniqueUser('mp')
    const bytes = randomBytes(SIZE)
    const up = await create(user)
    await uploadParts(user, up, bytes, [1])
    const [p2] = await partUrls(user, up, [2])
    expect((await step(user, up, '', { method: 'DELETE' })).status).toBe(204)
    expect(await errorOf(await step(user, up, '/parts'))).toMatchObject({ status: 404, code: 'no_such_upload' })
    expect((await putPart(p2, slice(bytes, up, 2))).status).toBe(404)
    expect(await errorOf(await step(user, up, '', { method: 'DELETE' }))).toMatchObject({ status: 404 })
  })

  describe('another user', () => {
    const steps: [string, string, RequestInit & { json?: unknown; query?: string }][] = [
      ['sign one part', '/parts/1', {}],
      ['sign a batch', '/part-urls', { query: '&parts=1,2' }],
      ['list parts', '/parts', {}],
      ['complete', '/complete', { method: 'POST', json: { parts: [{ partNumber: 1, etag: 'abc' }] } }],
      ['abort', '', { method: 'DELETE' }],
    ]

    it('is refused at every step, whatever token, key and uploadId it combines; the upload survives', async () => {
      const alice = uniqueUser('alice')
      const bob = uniqueUser('bob')
      const aliceUp = await create(alice)
      const bobUp = await create(bob)
      const attempts = [
        { label: "alice's token, key and uploadId", ...aliceUp },
        { label: "bob's token, alice's uploadId", ...bobUp, uploadId: aliceUp.uploadId },
        { label: "bob's token, alice's key", ...bobUp, key: aliceUp.key },
        { label: "alice's key and uploadId, no token", ...aliceUp, token: '' },
        { label: 'a path to alice', ...aliceUp, key: `../${alice}/${aliceUp.key}` },
      ]
      for (const attempt of attempts) {
        for (const [name, path, init] of steps) {
          const res = await step(bob, attempt, path, init)
          const label = `${attempt.label}: ${name}`
          expect(res.status, label).toBeGreaterThanOrEqual(400)
          expect(res.status, label).toBeLessThan(500)
          const text = await res.text()
          expect(text, label).not.toContain('X-Amz-Signature')
          expect(text, label).not.toContain(alice)
        }
      }
      const still = await step(alice, aliceUp, '/parts')
      expect(still.status).toBe(200)
    })

    it('cannot forge or extend a token: edited, re-signed with another secret, or expired → 404', async () => {
      const alice = uniqueUser('alice')
      const up = await create(alice)
      const [payload, mac] = up.token.split('.')
      const grant = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
      const bigger = btoa(JSON.stringify({ ...grant, size: grant.size * 2 }))
        .replace(/=+$/, '')
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
      const forged = await signUploadToken('not-the-secret', grant)
      const expired = await signUploadToken(config.s3.secretAccessKey, {
        ...grant,
        expires: Math.floor(Date.now() / 1000) - 1,
      })
      for (const token of [`${bigger}.${mac}`, forged, expired, 'garbage', `${payload}.${mac}.x`]) {
        const res = await step(alice, { ...up, token }, '/parts/1')
        expect(await errorOf(res)).toMatchObject({ status: 404, code: 'no_such_upload' })
      }
    })
  })
})

describe('multipart API without S3', () => {
  it('needs an identity (401) and a valid body (400) before calling S3', async () => {
    const anon = await api(
      '/api/multipart',
      { method: 'POST', json: { name: 'a.pdf', type: 'application/pdf', size: 1 } },
      env,
    )
    expect(await errorOf(anon)).toMatchObject({ status: 401 })
    const anonStep = await api('/api/multipart/x/parts?key=a', {}, env)
    expect(anonStep.status).toBe(401)
    const user = uniqueUser('mp')
    for (const json of [{}, { name: 'a', type: 'application/pdf', size: -1 }, { name: 'a', type: 'pdf', size: 1 }]) {
      const res = await api('/api/multipart', { method: 'POST', user, json }, env)
      expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_request' })
    }
    const empty = await api(
      '/api/multipart',
      { method: 'POST', user, json: { name: 'a.pdf', type: 'application/pdf', size: 0 } },
      env,
    )
    expect(await errorOf(empty)).toMatchObject({ status: 400 })
    const noKey = await api('/api/multipart/x/parts', { user }, env)
    expect(await errorOf(noKey)).toMatchObject({ status: 400 })
  })

  it('lets a completion body of 10,000 part ETags through (other API bodies stop at 16 KiB)', async () => {
    const user = uniqueUser('mp')
    const parts = Array.from({ length: 10_000 }, (_, i) => ({
      partNumber: i + 1,
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
    }))
    const res = await api(`/api/multipart/x/complete?key=a`, { method: 'POST', user, json: { parts } }, env)
    // Past the body limit and validation: refused only for want of a token.
    expect(await errorOf(res)).toMatchObject({ status: 400, message: expect.stringContaining('X-Upload-Token') })
  })
})
