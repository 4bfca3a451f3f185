// The Companion-shaped Uppy routes against RGW: the shapes @uppy/aws-s3 reads, the size, key and part
// plan the server decides, S3 refusing a part of another length, and every later step refused for a
// key bucketgate did not issue to the caller, with Uppy's top-level `message` on every error.
import { describe, expect, it } from 'vitest'
import { api, describeS3, postToBucket, randomBytes, s3Get, testEnv, uniqueUser } from '../helpers'
import { userRoot } from '../../src/keys'

const MiB = 1024 ** 2
const env = { ...testEnv, UPLOAD_MAX_BYTES: String(64 * MiB) }
/** Three parts as Uppy cuts them: 5 MiB, 5 MiB and the rest. */
const SIZE = 12 * MiB + 123

type Created = { key: string; uploadId: string }
type CompanionError = { message: string; error: { code: string; message: string } }

function call(user: string | undefined, path: string, init: RequestInit & { json?: unknown } = {}) {
  return api(`/api/uppy${path}`, { ...init, user }, env)
}

async function create(user: string, size: number | null = SIZE, name = 'scan.pdf') {
  const metadata = size === null ? { name } : { name, size }
  return call(user, '/s3/multipart', { method: 'POST', json: { filename: name, type: 'application/pdf', metadata } })
}

async function created(user: string, size = SIZE): Promise<Created> {
  const res = await create(user, size)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

const upload = (up: Created) => `/s3/multipart/${encodeURIComponent(up.uploadId)}`
const keyQuery = (key: string) => `?${new URLSearchParams({ key })}`

async function partUrl(user: string, up: Created, n: number): Promise<string> {
  const res = await call(user, `${upload(up)}/${n}${keyQuery(up.key)}`)
  expect(res.status, await res.clone().text()).toBe(200)
  const body = (await res.json()) as { url: string; expires: number }
  expect(body.expires).toBeGreaterThan(0)
  return body.url
}

async function companionError(res: Response): Promise<CompanionError & { status: number }> {
  const body = (await res.json()) as CompanionError
  expect(body.message).toBe(body.error.message)
  return { status: res.status, ...body }
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

describe('Uppy routes without S3', () => {
  it('answer an unsigned caller 401 with a top-level message', async () => {
    const res = await call(undefined, '/s3/params?filename=a.txt&type=text/plain')
    const err = await companionError(res)
    expect(err).toMatchObject({ status: 401, error: { code: 'unauthenticated' } })
  })

  it('refuse a multipart upload without metadata.size, naming the fix', async () => {
    const err = await companionError(await create(uniqueUser('uppy'), null))
    expect(err).toMatchObject({ status: 400, error: { code: 'size_required' } })
    expect(err.message).toContain('setFileMeta')
  })

  it('refuse types outside UPLOAD_ALLOWED_TYPES and sizes above UPLOAD_MAX_BYTES', async () => {
    const user = uniqueUser('uppy')
    const type = await call(user, '/s3/params?filename=a.exe&type=application/x-msdownload&metadata[size]=3')
    expect(await companionError(type)).toMatchObject({ status: 415, error: { code: 'unsupported_type' } })
    const big = await call(user, `/s3/params?filename=a.txt&type=text/plain&metadata[size]=${64 * MiB + 1}`)
    expect(await companionError(big)).toMatchObject({ status: 413, error: { code: 'too_large' } })
  })

  it('refuse a forged upload token as a 404, never a 500', async () => {
    const res = await call(uniqueUser('uppy'), `/s3/multipart/not.a-token${keyQuery('x/y.pdf')}`)
    expect(await companionError(res)).toMatchObject({ status: 404, error: { code: 'no_such_upload' } })
  })
})

describeS3('Uppy routes against RGW', () => {
  it('GET /s3/params with metadata[size]: a POST policy for exactly that size under a server-chosen key', async () => {
    const user = uniqueUser('uppy')
    const bytes = randomBytes(1000)
    const res = await call(
      user,
      `/s3/params?filename=${encodeURIComponent('../notes.txt')}&type=text/plain&metadata[size]=1000`,
    )
    expect(res.status).toBe(200)
    const ticket = (await res.json()) as {
      method: 'POST'
      url: string
      fields: Record<string, string>
      expires: number
    }
    expect(ticket.method).toBe('POST')
    expect(ticket.expires).toBe(300)
    expect(ticket.fields.key).toMatch(new RegExp(`^${userRoot('users/', user)}[0-9a-z]{18}/notes\\.txt$`))

    expect((await postToBucket(ticket, randomBytes(1001))).status).toBe(400)
    expect((await postToBucket(ticket, randomBytes(999))).status).toBe(400)
    expect((await postToBucket(ticket, bytes)).status).toBe(201)
    expect(await sha256((await s3Get(ticket.fields.key)).bytes)).toBe(await sha256(bytes))
  })

  it('GET /s3/params without a size: the policy bounds the file to 1 byte .. UPLOAD_MAX_BYTES', async () => {
    const user = uniqueUser('uppy')
    const small = { ...testEnv, UPLOAD_MAX_BYTES: '2000' }
    const res = await api('/api/uppy/s3/params?filename=a.txt&type=text/plain', { user }, small)
    const ticket = (await res.json()) as { method: 'POST'; url: string; fields: Record<string, string> }
    expect((await postToBucket(ticket, new Uint8Array(0))).status).toBe(400)
    expect((await postToBucket(ticket, randomBytes(2001))).status).toBe(400)
    expect((await postToBucket(ticket, randomBytes(2000))).status).toBe(201)
  })

  it('GET /s3/params in UPLOAD_MODE=put: a PUT for the exact size (and refuses without one)', async () => {
    const user = uniqueUser('uppy')
    const put = { ...testEnv, UPLOAD_MODE: 'put' }
    const res = await api('/api/uppy/s3/params?filename=a.txt&type=text/plain&metadata[size]=10', { user }, put)
    const ticket = (await res.json()) as { method: string; url: string; headers: Record<string, string> }
    expect(ticket.method).toBe('PUT')
    expect(ticket.headers).toEqual({ 'content-type': 'text/plain', 'if-none-match': '*' })
    const bytes = randomBytes(10)
    expect((await fetch(ticket.url, { method: 'PUT', body: bytes, headers: ticket.headers })).status).toBe(200)
    const unsized = await api('/api/uppy/s3/params?filename=a.txt&type=text/plain', { user }, put)
    expect(await companionError(unsized)).toMatchObject({ status: 400, error: { code: 'size_required' } })
  })

  it('a multipart upload of three parts: Uppy part lengths, ListParts as an array, {location} on completion', async () => {
    const user = uniqueUser('uppy')
    const bytes = randomBytes(SIZE)
    const up = await created(user)
    expect(up.key).toMatch(/^[0-9a-z]{18}\/scan\.pdf$/)

    const lengths = [5 * MiB, 5 * MiB, 2 * MiB + 123]
    const etags: string[] = []
    let offset = 0
    for (const [i, length] of lengths.entries()) {
      const url = await partUrl(user, up, i + 1)
      expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host')
      const res = await fetch(url, { method: 'PUT', body: bytes.subarray(offset, offset + length) })
      expect(res.status).toBe(200)
      etags.push(res.headers.get('ETag')!)
      offset += length
    }
    const listed = await call(user, `${upload(up)}${keyQuery(up.key)}`)
    const parts = (await listed.json()) as { PartNumber: number; Size: number; ETag: string }[]
    expect(parts.map((p) => [p.PartNumber, p.Size])).toEqual(lengths.map((l, i) => [i + 1, l]))

    const done = await call(user, `${upload(up)}/complete${keyQuery(up.key)}`, {
      method: 'POST',
      json: { parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
    })
    expect(done.status, await done.clone().text()).toBe(200)
    const body = (await done.json()) as { location: string; key: string }
    expect(body).toEqual({ key: up.key, location: `http://localhost/api/files/${up.key}` })
    expect(await sha256((await s3Get(userRoot('users/', user) + up.key)).bytes)).toBe(await sha256(bytes))
  })

  it('a part URL signed for one length is refused by RGW for another (403)', async () => {
    const user = uniqueUser('uppy')
    const up = await created(user)
    const url = await partUrl(user, up, 3)
    for (const length of [2 * MiB + 122, 2 * MiB + 124, 5 * MiB]) {
      const res = await fetch(url, { method: 'PUT', body: randomBytes(length) })
      expect(res.status).toBe(403)
      expect(await res.text()).toContain('SignatureDoesNotMatch')
    }
    expect((await fetch(url, { method: 'PUT', body: randomBytes(2 * MiB + 123) })).status).toBe(200)
  })

  it("refuses another user's upload and any key it was not issued for, with a top-level message", async () => {
    const alice = uniqueUser('alice')
    const up = await created(alice)
    const bob = uniqueUser('bob')
    for (const path of [`/1${keyQuery(up.key)}`, keyQuery(up.key), `/batch${keyQuery(up.key)}&partNumbers=1`]) {
      const res = await call(bob, `${upload(up)}${path}`)
      expect(await companionError(res)).toMatchObject({ status: 404, error: { code: 'no_such_upload' } })
    }
    const bobAbort = await call(bob, `${upload(up)}${keyQuery(up.key)}`, { method: 'DELETE' })
    expect(bobAbort.status).toBe(404)
    const otherKey = await call(alice, `${upload(up)}/1${keyQuery(up.key.replace('scan', 'other'))}`)
    expect(otherKey.status).toBe(404)
    const escape = await call(alice, `${upload(up)}/1${keyQuery(`../${bob}/${up.key}`)}`)
    expect(await companionError(escape)).toMatchObject({ status: 400, error: { code: 'invalid_key' } })
    expect((await call(alice, `${upload(up)}${keyQuery(up.key)}`)).status).toBe(200)
  })

  it('DELETE aborts the S3 upload: its parts are gone and later steps answer 404', async () => {
    const user = uniqueUser('uppy')
    const up = await created(user)
    expect((await fetch(await partUrl(user, up, 1), { method: 'PUT', body: randomBytes(5 * MiB) })).status).toBe(200)
    const res = await call(user, `${upload(up)}${keyQuery(up.key)}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({})
    const after = await call(user, `${upload(up)}${keyQuery(up.key)}`)
    expect(await companionError(after)).toMatchObject({ status: 404, error: { code: 'no_such_upload' } })
  })

  it('batch signing answers {presignedUrls} by part number', async () => {
    const user = uniqueUser('uppy')
    const up = await created(user)
    const res = await call(user, `${upload(up)}/batch${keyQuery(up.key)}&partNumbers=1,3`)
    const { presignedUrls } = (await res.json()) as { presignedUrls: Record<string, string> }
    expect(Object.keys(presignedUrls)).toEqual(['1', '3'])
    const bad = await call(user, `${upload(up)}/batch${keyQuery(up.key)}&partNumbers=4`)
    expect(await companionError(bad)).toMatchObject({ status: 400, error: { code: 'invalid_part' } })
  })
})
