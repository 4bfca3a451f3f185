// Every bad input is a clear 4xx JSON error: never a 500, never a stack trace.
import { describe, expect, it } from 'vitest'
import { api, errorOf, tokenFor } from '../helpers'

const good = { name: 'cat.png', type: 'image/png', size: 1234 }

async function ticket(body: unknown, init: RequestInit = {}) {
  return api('/api/uploads', { method: 'POST', user: 'mallory', json: body, ...init })
}

describe('POST /api/uploads input', () => {
  it('a good request gets a ticket', async () => {
    expect((await ticket(good)).status).toBe(200)
  })

  it('malformed JSON is 400', async () => {
    const res = await api('/api/uploads', {
      method: 'POST',
      user: 'mallory',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": "cat.png", ',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTypeOf('string')
  })

  it.each([
    ['missing name', { type: 'image/png', size: 1 }],
    ['missing type', { name: 'a.png', size: 1 }],
    ['missing size', { name: 'a.png', type: 'image/png' }],
    ['negative size', { ...good, size: -1 }],
    ['fractional size', { ...good, size: 1.5 }],
    ['huge size', { ...good, size: 1e300 }],
    ['string size', { ...good, size: '12' }],
    ['empty name', { ...good, name: '' }],
    ['control characters in the name', { ...good, name: 'a\u0000b.png' }],
    ['a newline in the name', { ...good, name: 'a\nb.png' }],
    ['an over-long name', { ...good, name: 'x'.repeat(300) + '.png' }],
    ['a type that is not a media type', { ...good, type: 'image' }],
    ['an array body', [good]],
    ['a null body', null],
  ])('%s is 400 invalid_request', async (_, body) => {
    const res = await ticket(body)
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_request' })
  })

  it('a request body over 16 KiB is 413 before it is parsed', async () => {
    const res = await ticket({ ...good, padding: 'x'.repeat(20_000) })
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'body_too_large' })
  })

  it('a declared size over UPLOAD_MAX_BYTES is 413', async () => {
    const res = await ticket({ ...good, size: 1048577 })
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'too_large' })
  })

  it('a type outside UPLOAD_ALLOWED_TYPES is 415', async () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/x-msdownload']) {
      const res = await ticket({ ...good, type })
      expect(await errorOf(res)).toMatchObject({ status: 415, code: 'unsupported_type' })
    }
  })

  it('a cross-site form post riding on a session cookie is refused (CSRF)', async () => {
    const signIn = await api('/api/auth/dev', { method: 'POST', json: { name: 'victim' } })
    const session = signIn.headers.get('Set-Cookie')!.split(';')[0]
    const res = await api('/api/uploads', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example', Cookie: session },
      body: JSON.stringify(good),
    })
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'forbidden' })
  })

  it('a body that is not declared as JSON is 400', async () => {
    const res = await api('/api/uploads', {
      method: 'POST',
      user: 'mallory',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(good),
    })
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_request' })
  })
})

describe('routes and methods', () => {
  it('delete is never a GET: GET on a key downloads, it does not delete', async () => {
    const res = await api('/api/files/x.txt?action=delete', { user: 'mallory' })
    expect(res.status).toBe(302)
  })

  it('an unknown API route is a JSON 404', async () => {
    expect(await errorOf(await api('/api/nope', { user: 'mallory' }))).toMatchObject({ status: 404, code: 'not_found' })
  })

  it('a bad list limit or cursor is 400', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'cursor=%00', 'cursor=' + 'A'.repeat(3000)]) {
      const res = await api(`/api/files?${q}`, { user: 'mallory' })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/invalid_/)
    }
  })

  it('bad percent-encoding in a key is 400', async () => {
    const res = await api('/api/files/%E0%A4%A', { user: 'mallory', method: 'DELETE' })
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_key' })
  })

  it('errors carry no stack trace', async () => {
    const res = await api('/api/files/..%2F..%2Fetc', { headers: { Authorization: `Bearer ${await tokenFor('m')}` } })
    const text = await res.text()
    expect(res.status).toBe(400)
    expect(text).not.toMatch(/at .*\.ts|Error:/)
  })
})
