// Remembered URLs are the URLs the presigner would sign, once per distinct input, never another's.
import { describe, expect, it } from 'vitest'
import { createPresigner, type PresignOptions, type Presigner } from '../../src/signing/presign'
import { rememberingPresigner } from '../../src/signing/url-memo'
import type { Config } from '../../src/config'

const s3: Config['s3'] = {
  endpoint: new URL('http://127.0.0.1:7480'),
  region: 'us-east-1',
  bucket: 'memo-test',
  accessKeyId: 'id',
  secretAccessKey: 'secret',
  pathStyle: true,
  timeoutMs: 1000,
}
const now = new Date('2026-11-28T10:00:00Z')

/** A presigner that counts what it really signs. */
async function counting(at = now): Promise<Presigner & { calls: number }> {
  const real = await createPresigner(s3, at)
  const counted = {
    datetime: real.datetime,
    calls: 0,
    sign: (req: PresignOptions) => {
      counted.calls++
      return real.sign(req)
    },
  }
  return counted
}

const get = (key: string, query?: Record<string, string>): PresignOptions => ({
  method: 'GET',
  key,
  expiresSeconds: 600,
  query,
})

describe('rememberingPresigner', () => {
  it('returns exactly the fresh URL, and signs a repeated request only once', async () => {
    const inner = await counting()
    const memo = rememberingPresigner(s3, inner)
    const req = get('users/a/x.png', { 'response-content-type': 'image/png' })
    const first = await memo.sign(req)
    expect(first).toBe(await (await createPresigner(s3, now)).sign(req))
    expect(await rememberingPresigner(s3, inner).sign(req)).toBe(first) // another request, same isolate
    expect(inner.calls).toBe(1)
  })

  it('keeps inputs apart that a naive key would join (newlines, order, method, expiry)', async () => {
    const inner = await counting()
    const memo = rememberingPresigner(s3, inner)
    const reqs: PresignOptions[] = [
      get('users/a/x\nresponse-content-type\nimage/png'),
      get('users/a/x', { 'response-content-type': 'image/png' }),
      get('users/a/x', { a: '1', b: '2' }),
      get('users/a/x', { b: '2', a: '1' }),
      { ...get('users/a/x'), method: 'HEAD' },
      { ...get('users/a/x'), expiresSeconds: 601 },
      get('users/b/x'),
    ]
    const urls = await Promise.all(reqs.map((r) => memo.sign(r)))
    const fresh = await createPresigner(s3, now)
    expect(urls).toEqual(await Promise.all(reqs.map((r) => fresh.sign(r))))
    expect(inner.calls).toBe(reqs.length)
  })

  it('starts over at a new signing instant, and never remembers URLs with signed headers', async () => {
    const before = await counting()
    await rememberingPresigner(s3, before).sign(get('users/a/y'))
    const after = await counting(new Date(now.getTime() + 900_000))
    const url = await rememberingPresigner(s3, after).sign(get('users/a/y'))
    expect(after.calls).toBe(1)
    expect(new URL(url).searchParams.get('X-Amz-Date')).toBe('20261128T101500Z')
    const memo = rememberingPresigner(s3, after)
    const put = { ...get('users/a/z'), method: 'PUT' as const, headers: { 'content-length': '5' } }
    await memo.sign(put)
    await memo.sign(put)
    expect(after.calls).toBe(3)
  })
})
