// The fast presigner writes exactly the URL aws4fetch's AwsV4Signer writes (signQuery, allHeaders
// when headers are given, query re-serialized in RFC 3986 form), over thousands of seeded random
// inputs: unicode, spaces, +, %, ~ and very long keys, query overrides, signed headers.
import { describe, expect, it } from 'vitest'
import { AwsV4Signer } from 'aws4fetch'
import { webCryptoHasher } from '../../../src/signing/hash'
import { createPresigner, presignUrl, type PresignRequest } from '../../../src/signing/presign'
import { amzDate } from '../../../src/signing/sigv4'
import { toQueryString } from '../../../src/s3/encoding'
import { objectUrl } from '../../../src/s3/urls'
import { contentDisposition } from '../../../src/downloads/content-disposition'
import type { Config } from '../../../src/config'
import { prng } from '../../prng'

/** The signer before the fast one, kept as the reference: aws4fetch, then RFC 3986 query form. */
async function referencePresign(s3: Config['s3'], req: PresignRequest): Promise<string> {
  const url = new URL(objectUrl(s3, req.key))
  for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value)
  url.searchParams.set('X-Amz-Expires', String(req.expiresSeconds))
  const signer = new AwsV4Signer({
    url: url.toString(),
    method: req.method,
    headers: req.headers,
    allHeaders: req.headers !== undefined,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    service: 's3',
    region: s3.region,
    datetime: amzDate(req.now),
    signQuery: true,
  })
  const signed = (await signer.sign()).url
  signed.search = toQueryString(signed.searchParams)
  return signed.toString()
}

const KEY_CHARS = [
  ...'abcXYZ019-_.~ +%!\'()*&=;,:@$#?[]{}"<>\\^`|',
  'é',
  'ß',
  'ü',
  '猫',
  '日本',
  '🐱',
  '\u00a0',
  '\u200b',
  'ǅ',
]
const SERVERS: Config['s3'][] = [
  {
    endpoint: new URL('https://s3.eu-west-1.amazonaws.com'),
    region: 'eu-west-1',
    bucket: 'my-bucket.example',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    pathStyle: false,
    timeoutMs: 1000,
  },
  {
    endpoint: new URL('http://127.0.0.1:7480'),
    region: 'us-east-1',
    bucket: 'bucketgate-test',
    accessKeyId: 'bucketgate test/key',
    secretAccessKey: 'secret',
    pathStyle: true,
    timeoutMs: 1000,
  },
  {
    endpoint: new URL('https://ACCOUNT.r2.cloudflarestorage.com'),
    region: 'auto',
    bucket: 'files',
    accessKeyId: 'r2key',
    secretAccessKey: 'r2secret',
    pathStyle: true,
    timeoutMs: 1000,
  },
]

function randomText(r: ReturnType<typeof prng>, max: number): string {
  let s = ''
  const n = 1 + r.int(max)
  for (let i = 0; i < n; i++) s += r.pick(KEY_CHARS)
  return s
}

function randomKey(r: ReturnType<typeof prng>): string {
  const segments = 1 + r.int(4)
  const parts: string[] = []
  // Now and then a very long key (S3 allows 1,024 bytes).
  const max = r.int(10) === 0 ? 300 : 24
  for (let i = 0; i < segments; i++) {
    let seg = randomText(r, max)
    if (seg === '.' || seg === '..') seg += 'x'
    parts.push(seg)
  }
  return parts.join('/')
}

function randomQuery(r: ReturnType<typeof prng>): Record<string, string> | undefined {
  if (r.int(4) === 0) return undefined
  const q: Record<string, string> = {}
  if (r.int(2))
    q['response-content-disposition'] = contentDisposition(r.pick(['inline', 'attachment']), randomText(r, 30))
  if (r.int(3) === 0) q['response-content-type'] = r.pick(['image/png', 'text/plain; charset=utf-8'])
  if (r.int(3) === 0) q['response-cache-control'] = `private, max-age=${r.int(100000)}`
  if (r.int(4) === 0) {
    q.partNumber = String(1 + r.int(10000))
    q.uploadId = randomText(r, 40)
  }
  if (r.int(5) === 0) q[randomText(r, 8)] = randomText(r, 20)
  return q
}

function randomHeaders(r: ReturnType<typeof prng>): Record<string, string> | undefined {
  if (r.int(3) !== 0) return undefined
  const h: Record<string, string> = {}
  if (r.int(2)) h['content-length'] = String(r.int(5 * 1024 ** 3))
  if (r.int(2)) h['content-type'] = r.pick(['image/png', ' text/plain;  charset=utf-8 ', 'application/octet-stream'])
  if (r.int(2)) h['if-none-match'] = '*'
  if (r.int(4) === 0) h['x-amz-meta-note'] = r.pick(['a  b\tc', 'plain', '', 'x'.repeat(200)])
  if (r.int(8) === 0) h['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD'
  return h
}

function randomRequest(r: ReturnType<typeof prng>): PresignRequest {
  return {
    method: r.pick(['GET', 'PUT', 'HEAD'] as const),
    key: randomKey(r),
    expiresSeconds: 1 + r.int(604_800),
    // Any second between 2001 and 2033, so dates (and derived keys) vary.
    now: new Date(1e12 + r.int(1e9) * 1000),
    query: randomQuery(r),
    headers: randomHeaders(r),
  }
}

describe('the fast presigner is byte-identical to aws4fetch', () => {
  it('for 3,000 seeded random requests', async () => {
    const r = prng(20261128)
    for (let i = 0; i < 3000; i++) {
      const s3 = r.pick(SERVERS)
      const req = randomRequest(r)
      const want = await referencePresign(s3, req)
      expect(await presignUrl(s3, req), `case ${i}: ${JSON.stringify(req)}`).toBe(want)
    }
  })

  it('for batches signed with one presigner, four hash lanes at a time', async () => {
    const r = prng(7)
    const now = new Date('2026-11-28T10:00:00Z')
    for (const s3 of SERVERS) {
      const presigner = await createPresigner(s3, now)
      // 203: whole groups of four and a last group of three; requests of every length mixed.
      const reqs = Array.from({ length: 203 }, () => ({ ...randomRequest(r), now }))
      const want = await Promise.all(reqs.map((req) => referencePresign(s3, req)))
      expect(await presigner.signAll(reqs)).toEqual(want)
      expect(await Promise.all(reqs.map((req) => presigner.sign(req)))).toEqual(want)
      // Batches of every size up to five, as a page's last group would be.
      for (let size = 1; size <= 5; size++) {
        expect(await presigner.signAll(reqs.slice(0, size))).toEqual(want.slice(0, size))
      }
      // The WebCrypto hasher, used where WebAssembly SIMD is unavailable, signs the same URLs.
      expect(await (await createPresigner(s3, now, webCryptoHasher)).signAll(reqs)).toEqual(want)
    }
  })

  it('for the edge cases: empty and slash-only segments, a 1,024-byte key, every reserved character', async () => {
    const s3 = SERVERS[1]
    const now = new Date('2026-01-01T00:00:00Z')
    const keys = ['', 'a//b', '/lead', 'trail/', 'é'.repeat(512), KEY_CHARS.join(''), '...', '.x/..y']
    for (const key of keys) {
      const req: PresignRequest = { method: 'GET', key, expiresSeconds: 60, now }
      expect(await presignUrl(s3, req), key).toBe(await referencePresign(s3, req))
    }
  })

  it('refuses inputs the reference would sign into a URL for another key or another expiry', async () => {
    const s3 = SERVERS[1]
    const now = new Date()
    const sign = (over: Partial<PresignRequest>) =>
      presignUrl(s3, { method: 'GET', key: 'a', expiresSeconds: 60, now, ...over })
    await expect(sign({ key: 'a/../b' })).rejects.toThrow(/segments/)
    await expect(sign({ key: './b' })).rejects.toThrow(/segments/)
    await expect(sign({ expiresSeconds: 604_801 })).rejects.toThrow(/expiresSeconds/)
    await expect(sign({ expiresSeconds: 1.5 })).rejects.toThrow(/expiresSeconds/)
    await expect(sign({ query: { 'X-Amz-Expires': '999999' } })).rejects.toThrow(/reserved/)
    await expect(sign({ query: { 'x-amz-date': '1' } })).rejects.toThrow(/reserved/)
  })
})
