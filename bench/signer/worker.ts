// Bench-only Worker: GET /sign?impl=&batch=&total= signs `total` download URLs in batches of
// `batch` (each batch as one request would: a fresh presigner, the page's URLs in parallel) and
// answers when done. workerd's clock does not move during pure computation, so the benchmark
// times these requests from outside and subtracts impl=none (the same request, no signing).
import { AwsV4Signer } from 'aws4fetch'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { webCryptoHasher } from '../../src/signing/hash'
import { createPresigner } from '../../src/signing/presign'
import { downloadOverrides } from '../../src/downloads/content-disposition'
import { amzDate } from '../../src/signing/sigv4'
import { toQueryString } from '../../src/s3/encoding'
import { objectUrl } from '../../src/s3/urls'
import type { Config } from '../../src/config'

const s3: Config['s3'] = {
  endpoint: new URL('https://s3.eu-west-1.amazonaws.com'),
  region: 'eu-west-1',
  bucket: 'bench-bucket',
  accessKeyId: 'AKIDEXAMPLEBENCH0000',
  secretAccessKey: 'bench/secret/key/that/is/not/real/000000',
  pathStyle: false,
  timeoutMs: 10_000,
}
const EXPIRES_S = 4500
const CACHE_CONTROL = 'private, max-age=3600, immutable'

// A list page's worth of realistic inputs: keys under a user root, inline image overrides.
const inputs = Array.from({ length: 1000 }, (_, i) => {
  const name = `holiday photo ${i}.jpg`
  const query: Record<string, string> = {
    ...downloadOverrides(name, ['image/jpeg']),
    'response-cache-control': CACHE_CONTROL,
  }
  return { index: i, key: `users/bench-user/0${(1e15 + i).toString(36)}/${name}`, name, query }
})
type Input = (typeof inputs)[number]

// The previous presignUrl: aws4fetch's AwsV4Signer per URL (derived-key bytes cached), then the
// query re-serialized in RFC 3986 form.
const aws4fetchCache = new Map<string, ArrayBuffer>()
async function aws4fetchSign(input: Input, now: Date): Promise<string> {
  const url = new URL(objectUrl(s3, input.key))
  for (const [name, value] of Object.entries(input.query)) url.searchParams.set(name, value)
  url.searchParams.set('X-Amz-Expires', String(EXPIRES_S))
  const signer = new AwsV4Signer({
    url: url.toString(),
    method: 'GET',
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    service: 's3',
    region: s3.region,
    datetime: amzDate(now),
    signQuery: true,
    cache: aws4fetchCache,
  })
  const signed = (await signer.sign()).url
  signed.search = toQueryString(signed.searchParams)
  return signed.toString()
}

// One client per isolate, as an app would keep it.
const sdk = new S3Client({
  region: s3.region,
  endpoint: s3.endpoint.origin,
  forcePathStyle: false,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
})
function sdkSign(input: Input, now: Date): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: s3.bucket,
    Key: input.key,
    ResponseContentDisposition: input.query['response-content-disposition'],
    ResponseContentType: input.query['response-content-type'],
    ResponseCacheControl: CACHE_CONTROL,
  })
  return getSignedUrl(sdk, command, { expiresIn: EXPIRES_S, signingDate: now })
}

// The floor: only the two WebCrypto calls a SigV4 URL needs (SHA-256 of a canonical request of the
// same length, HMAC with an imported key), with the canonical requests built once up front and one
// reused input buffer, so nearly all that is left per URL is WebCrypto.
const encoder = new TextEncoder()
const floorInput = new Uint8Array(4096)
const floorCanonical = inputs.map(
  (input) =>
    `GET\n/${input.key}\n${JSON.stringify(input.query)}\nhost:${s3.bucket}.${s3.endpoint.host}\n\nhost\nUNSIGNED-PAYLOAD`,
)
const floorKey = crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
const toHex = (buffer: ArrayBuffer) => (new Uint8Array(buffer) as Uint8Array & { toHex(): string }).toHex()
const utf8 = (s: string) => floorInput.subarray(0, encoder.encodeInto(s, floorInput).written)
async function floorSign(index: number, key: CryptoKey): Promise<string> {
  const hash = toHex(await crypto.subtle.digest('SHA-256', utf8(floorCanonical[index])))
  const stringToSign = `AWS4-HMAC-SHA256\n20261128T100000Z\n20261128/eu-west-1/s3/aws4_request\n${hash}`
  return toHex(await crypto.subtle.sign('HMAC', key, utf8(stringToSign)))
}

// Pure JS, no WebCrypto (for --only=inspector): int32 arithmetic kept in an object's fields.
const jsState = { a: 0, b: 0 }
function jsLoop(): string {
  for (let i = 0; i < 10_000; i++) {
    jsState.a = (jsState.a * 31 + i) | 0
    jsState.b ^= jsState.a
  }
  return String(jsState.b)
}

type Impl = (batch: Input[], now: Date) => Promise<string[]>
const IMPLS: Record<string, Impl> = {
  none: async (batch) => batch.map((i) => i.key),
  'webcrypto-floor': async (batch) => {
    const key = await floorKey
    return Promise.all(batch.map((i) => floorSign(i.index, key)))
  },
  bucketgate: async (batch, now) => {
    const presigner = await createPresigner(s3, now)
    return presigner.signAll(
      batch.map((i) => ({ method: 'GET', key: i.key, expiresSeconds: EXPIRES_S, query: i.query })),
    )
  },
  // The same presigner with the WebCrypto hasher it falls back to where WebAssembly SIMD is unavailable.
  'bucketgate-webcrypto': async (batch, now) => {
    const presigner = await createPresigner(s3, now, webCryptoHasher)
    return presigner.signAll(
      batch.map((i) => ({ method: 'GET', key: i.key, expiresSeconds: EXPIRES_S, query: i.query })),
    )
  },
  aws4fetch: (batch, now) => Promise.all(batch.map((i) => aws4fetchSign(i, now))),
  'aws-sdk': (batch, now) => Promise.all(batch.map((i) => sdkSign(i, now))),
  'js-loop': async (batch) => batch.map(jsLoop),
}

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams
    const impl = IMPLS[params.get('impl') ?? '']
    if (!impl) return new Response('impl must be one of ' + Object.keys(IMPLS).join(', '), { status: 404 })
    const batchSize = Number(params.get('batch'))
    const total = Number(params.get('total'))
    const now = new Date('2026-11-28T10:00:00Z')
    let last = ''
    let signed = 0
    for (let start = 0; signed < total; start = (start + batchSize) % inputs.length) {
      const batch = inputs.slice(start, start + batchSize)
      const urls = await impl(batch, now)
      signed += urls.length
      last = urls[urls.length - 1]
    }
    return Response.json({ signed, last })
  },
}
