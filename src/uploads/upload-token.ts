// The multipart upload token: the Worker keeps no state, so creation hands the browser an HMAC-signed
// statement of what it may do (full key, uploadId, declared size, part size, type, expiry) and every
// later step trusts only that. Rule: a step is allowed only when the token verifies, has not expired,
// and names exactly the key (resolved under the caller's root) and uploadId of the request.
// The HMAC key is derived from S3_SECRET_ACCESS_KEY with a fixed label, so there is no new secret to
// manage and rotating the S3 secret invalidates every token.
import {
  base64FromBytes,
  base64FromUtf8,
  bytesFromBase64,
  fromBase64Url,
  toBase64Url,
  utf8FromBase64,
} from '../util/base64'
import { BoundedCache } from '../util/bounded-cache'

const LABEL = 'bucketgate multipart upload token v1'
const encoder = new TextEncoder()

export type UploadGrant = {
  key: string
  uploadId: string
  size: number
  partSize: number
  type: string
  /** Unix seconds. */
  expires: number
}

/** One derived key per S3 secret; a handful covers a secret rotation. */
const keys = new BoundedCache<string, Promise<CryptoKey>>(4)

function tokenKey(secret: string): Promise<CryptoKey> {
  return keys.getOrSet(secret, async () => {
    const master = await crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const derived = await crypto.subtle.sign('HMAC', master, encoder.encode(LABEL))
    return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
  })
}

export async function signUploadToken(secret: string, grant: UploadGrant): Promise<string> {
  const payload = toBase64Url(base64FromUtf8(JSON.stringify(grant)))
  const mac = await crypto.subtle.sign('HMAC', await tokenKey(secret), encoder.encode(payload))
  return `${payload}.${toBase64Url(base64FromBytes(new Uint8Array(mac)))}`
}

/** The grant, or null when the token is malformed, forged or expired (callers answer 404 either way). */
export async function verifyUploadToken(secret: string, token: string, nowMs: number): Promise<UploadGrant | null> {
  const [payload, mac, extra] = token.split('.')
  if (!payload || !mac || extra !== undefined || token.length > 4096) return null
  let macBytes: Uint8Array
  try {
    macBytes = bytesFromBase64(fromBase64Url(mac))
  } catch {
    return null
  }
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify('HMAC', await tokenKey(secret), macBytes, encoder.encode(payload))
  if (!ok) return null
  let grant: UploadGrant
  try {
    grant = JSON.parse(utf8FromBase64(fromBase64Url(payload))) as UploadGrant
  } catch {
    return null
  }
  if (typeof grant.expires !== 'number' || grant.expires * 1000 <= nowMs) return null
  return grant
}
