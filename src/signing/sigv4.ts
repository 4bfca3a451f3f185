// SigV4 building blocks shared by the presigner and the POST policy signer: the timestamp format,
// hex, and the derived signing key, cached as bytes and as a CryptoKey. (S3's URL encoding is
// s3/encoding.ts.)
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
import { BoundedCache } from '../util/bounded-cache'

const encoder = new TextEncoder()

export const ALGORITHM = 'AWS4-HMAC-SHA256'

/** `20130524T000000Z`: SigV4's basic ISO 8601 form, seconds precision. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[:-]|\.\d{3}/g, '')
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
// Uint8Array.prototype.toHex (ES2026) is native in current workerd; the loop is for older runtimes.
const nativeToHex = (Uint8Array.prototype as { toHex?: () => string }).toHex

export function toHex(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  if (nativeToHex) return nativeToHex.call(bytes)
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTES[bytes[i]]
  return out
}

async function hmacRaw(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data))
}

// Derived keys change once a day per region/service: keep them, as bytes (for the presigner's
// own HMAC, sha256.ts) and as imported keys (for WebCrypto's).
const MAX_CACHED_KEYS = 16
const signingKeyBytesCache = new BoundedCache<string, Promise<Uint8Array>>(MAX_CACHED_KEYS)
const signingKeys = new BoundedCache<string, Promise<CryptoKey>>(MAX_CACHED_KEYS)

/** `make()`'s promise, kept under `id` unless it fails. */
function cached<T>(cache: BoundedCache<string, Promise<T>>, id: string, make: () => Promise<T>): Promise<T> {
  return cache.getOrSet(id, () => {
    const value = make()
    value.catch(() => cache.delete(id))
    return value
  })
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
export function signingKeyBytes(secret: string, date: string, region: string, service: string): Promise<Uint8Array> {
  return cached(signingKeyBytesCache, [secret, date, region, service].join('\n'), async () => {
    const kDate = await hmacRaw(encoder.encode('AWS4' + secret), date)
    const kRegion = await hmacRaw(kDate, region)
    const kService = await hmacRaw(kRegion, service)
    return new Uint8Array(await hmacRaw(kService, 'aws4_request'))
  })
}

/** The signing key (see signingKeyBytes), imported for WebCrypto's HMAC. */
export function signingKey(secret: string, date: string, region: string, service: string): Promise<CryptoKey> {
  return cached(signingKeys, [secret, date, region, service].join('\n'), async () => {
    const bytes = await signingKeyBytes(secret, date, region, service)
    return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  })
}

export async function hmacHex(key: CryptoKey, data: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
}

export function credentialScope(date: string, region: string, service = 's3'): string {
  return [date, region, service, 'aws4_request'].join('/')
}
