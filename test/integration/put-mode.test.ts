// UPLOAD_MODE=put (the R2 path): the ticket is a presigned PUT, and RGW itself refuses another
// size, another Content-Type, a missing If-None-Match and an overwrite; refused PUTs store nothing.
import { expect, it } from 'vitest'
import { api, describeS3, errorOf, randomBytes, s3Get, testEnv, uniqueUser } from '../helpers'
import { userRoot } from '../../src/keys'

const putEnv = { ...testEnv, UPLOAD_MODE: 'put' }
const putEnvNoCondition = { ...testEnv, UPLOAD_MODE: 'put', UPLOAD_PUT_IF_NONE_MATCH: 'false' }

type PutTicket = {
  key: string
  expiresAt: string
  upload: { method: 'PUT'; url: string; headers: Record<string, string> }
}

async function putTicket(user: string, file: { name: string; type: string; size: number }, env: object = putEnv) {
  const res = await api('/api/uploads', { method: 'POST', user, json: file }, env)
  expect(res.status).toBe(200)
  return (await res.json()) as PutTicket
}

/** What a browser does with a PUT ticket: every header but Content-Length (it sets that from the body). */
function putToBucket(ticket: PutTicket, bytes: Uint8Array, override: Record<string, string | null> = {}) {
  const headers = new Headers()
  for (const [name, value] of Object.entries({ ...ticket.upload.headers, ...override })) {
    if (name !== 'content-length' && value !== null) headers.set(name, value)
  }
  return fetch(ticket.upload.url, { method: 'PUT', headers, body: bytes })
}

async function s3Code(res: Response): Promise<string> {
  return /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? ''
}

describeS3('PUT mode against RGW', () => {
  it('hands out a PUT ticket signing size, type and If-None-Match, and round-trips the bytes', async () => {
    const user = uniqueUser('put')
    const bytes = randomBytes(70_001)
    const ticket = await putTicket(user, { name: 'photo.png', type: 'image/png', size: bytes.length })
    expect(ticket.upload.method).toBe('PUT')
    expect(ticket.upload.headers).toEqual({
      'content-length': String(bytes.length),
      'content-type': 'image/png',
      'if-none-match': '*',
    })
    const signed = new URL(ticket.upload.url).searchParams.get('X-Amz-SignedHeaders')
    expect(signed).toBe('content-length;content-type;host;if-none-match')
    expect(new URL(ticket.upload.url).pathname).toContain(`/users/${user}/`)

    const put = await putToBucket(ticket, bytes)
    expect(put.status).toBe(200)
    const stored = await s3Get(userRoot('users/', user) + ticket.key)
    expect(stored.status).toBe(200)
    expect(stored.bytes).toEqual(bytes)

    // And the app lists and serves it like any other upload.
    const listed = await api('/api/files', { user }, putEnv)
    const { files } = (await listed.json()) as { files: { key: string; size: number }[] }
    expect(files).toMatchObject([{ key: ticket.key, size: bytes.length }])
  })

  it.each([
    ['one byte more', 1001, {}],
    ['one byte less', 999, {}],
    ['another Content-Type', 1000, { 'content-type': 'text/html' }],
    ['no If-None-Match', 1000, { 'if-none-match': null }],
  ])('RGW refuses %s (403 SignatureDoesNotMatch) and stores nothing', async (_, size, override) => {
    const user = uniqueUser('put')
    const ticket = await putTicket(user, { name: 'a.png', type: 'image/png', size: 1000 })
    const res = await putToBucket(ticket, randomBytes(size), override)
    expect(res.status).toBe(403)
    expect(await s3Code(res)).toBe('SignatureDoesNotMatch')
    expect((await s3Get(userRoot('users/', user) + ticket.key)).status).toBe(404)
  })

  it('RGW refuses an overwrite through the same ticket (412 PreconditionFailed), the first bytes stay', async () => {
    const user = uniqueUser('put')
    const first = randomBytes(1000)
    const ticket = await putTicket(user, { name: 'a.png', type: 'image/png', size: 1000 })
    expect((await putToBucket(ticket, first)).status).toBe(200)
    const again = await putToBucket(ticket, randomBytes(1000))
    expect(again.status).toBe(412)
    expect(await s3Code(again)).toBe('PreconditionFailed')
    expect((await s3Get(userRoot('users/', user) + ticket.key)).bytes).toEqual(first)
  })

  it('with UPLOAD_PUT_IF_NONE_MATCH=false signs no condition (stores that refuse conditional PUTs)', async () => {
    const user = uniqueUser('put')
    const ticket = await putTicket(user, { name: 'a.txt', type: 'text/plain', size: 5 }, putEnvNoCondition)
    expect(ticket.upload.headers).toEqual({ 'content-length': '5', 'content-type': 'text/plain' })
    expect((await putToBucket(ticket, new TextEncoder().encode('hello'))).status).toBe(200)
  })

  it('applies the same limits as POST mode: too large 413, wrong type 415', async () => {
    const user = uniqueUser('put')
    const big = await api(
      '/api/uploads',
      { method: 'POST', user, json: { name: 'a.png', type: 'image/png', size: 2 ** 30 } },
      putEnv,
    )
    expect(await errorOf(big)).toMatchObject({ status: 413, code: 'too_large' })
    const html = await api(
      '/api/uploads',
      { method: 'POST', user, json: { name: 'a.html', type: 'text/html', size: 10 } },
      putEnv,
    )
    expect(await errorOf(html)).toMatchObject({ status: 415, code: 'unsupported_type' })
  })
})
