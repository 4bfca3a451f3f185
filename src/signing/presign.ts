// Presigned S3 URLs (query-string SigV4), many per request. A Presigner is bound to one bucket and
// one instant: the derived key, credential and host are computed once, so each URL costs one
// SHA-256 (canonical request) and one HMAC (string to sign). The output is byte-identical to
// aws4fetch's AwsV4Signer (signQuery; allHeaders when headers are given) with the query written
// in RFC 3986 form (test/signing/presign-identity.test.ts holds it to that).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import type { Config } from '../config'
import { bucketUrl } from '../s3/urls'
import { ALGORITHM, amzDate, credentialScope, encodeKeyPath, encodeRfc3986, signingKey, toHex } from './sigv4'

/** SigV4 presigned URLs cannot live longer than 7 days. */
const MAX_EXPIRES_SECONDS = 604_800
/** Query signing leaves the body out of the signature. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'

export type PresignRequest = {
  method: 'GET' | 'PUT' | 'HEAD'
  key: string
  expiresSeconds: number
  now: Date
  /** Extra signed query parameters, e.g. response-content-disposition, partNumber, uploadId. */
  query?: Record<string, string>
  /**
   * Headers (lowercase names) the client must send with exactly these values, e.g. content-length,
   * content-type, if-none-match: they join `host` in X-Amz-SignedHeaders, so S3 refuses any other.
   */
  headers?: Record<string, string>
}

export type PresignOptions = Omit<PresignRequest, 'now'>

export type Presigner = {
  /** The signing instant (X-Amz-Date) every URL from this presigner carries. */
  readonly datetime: string
  sign(req: PresignOptions): Promise<string>
}

const encoder = new TextEncoder()

/** Canonical headers, signed-header list and payload hash for the headers a client must send. */
function headerParts(host: string, given: Record<string, string> | undefined) {
  if (given === undefined) return { canonical: 'host:' + host, signed: 'host', payload: UNSIGNED_PAYLOAD }
  // Headers normalizes names and values (lowercase, trimmed, validated) exactly as aws4fetch sees them.
  const headers = new Headers(given)
  headers.delete('host')
  const names = ['host', ...headers.keys()].sort()
  const canonical = names.map((n) => n + ':' + (n === 'host' ? host : (headers.get(n) ?? '').replace(/\s+/g, ' ')))
  return {
    canonical: canonical.join('\n'),
    signed: names.join(';'),
    payload: headers.get('x-amz-content-sha256') || UNSIGNED_PAYLOAD,
  }
}

function checkRequest(req: PresignOptions): void {
  const { expiresSeconds } = req
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_EXPIRES_SECONDS) {
    throw new Error(`expiresSeconds must be a whole number from 1 to ${MAX_EXPIRES_SECONDS}`)
  }
  // URL parsing would resolve these segments, so the URL would name (and sign) another key.
  if (/(^|\/)\.\.?(\/|$)/.test(req.key)) throw new Error('a key must not contain . or .. segments')
}

function encodedQuery(query: Record<string, string> | undefined): [string, string][] {
  const pairs: [string, string][] = []
  if (query === undefined) return pairs
  for (const [name, value] of Object.entries(query)) {
    // The X-Amz-* parameters are the signer's own; an override would silently replace one.
    if (name === '' || /^x-amz-/i.test(name)) throw new Error(`query parameter ${JSON.stringify(name)} is reserved`)
    // URLSearchParams (and so aws4fetch) turns lone surrogates into U+FFFD; do the same.
    pairs.push([encodeRfc3986(name.toWellFormed()), encodeRfc3986(value.toWellFormed())])
  }
  return pairs
}

const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

/** A presigner for `s3` at `now`; sign() as many URLs as needed (e.g. one list page) with it. */
export async function createPresigner(s3: Config['s3'], now: Date): Promise<Presigner> {
  const datetime = amzDate(now)
  const scope = credentialScope(datetime.slice(0, 8), s3.region)
  const key = await signingKey(s3.secretAccessKey, datetime.slice(0, 8), s3.region, 's3')
  const base = bucketUrl(s3) + '/'
  const host = s3.pathStyle ? s3.endpoint.host : `${s3.bucket}.${s3.endpoint.host}`
  const basePath = s3.pathStyle ? `/${s3.bucket}/` : '/'
  const stringToSignPrefix = `${ALGORITHM}\n${datetime}\n${scope}\n`
  const date: [string, string] = ['X-Amz-Date', datetime]
  const algorithm: [string, string] = ['X-Amz-Algorithm', ALGORITHM]
  const credential: [string, string] = ['X-Amz-Credential', encodeRfc3986(`${s3.accessKeyId}/${scope}`)]
  const plainHeaders = headerParts(host, undefined)

  async function sign(req: PresignOptions): Promise<string> {
    checkRequest(req)
    const path = encodeKeyPath(req.key)
    const headers = req.headers === undefined ? plainHeaders : headerParts(host, req.headers)
    // URL order: overrides, then the X-Amz-* parameters in the order aws4fetch adds them.
    const params = encodedQuery(req.query)
    params.push(['X-Amz-Expires', String(req.expiresSeconds)], date, algorithm, credential, [
      'X-Amz-SignedHeaders',
      encodeRfc3986(headers.signed),
    ])
    const canonicalQuery = params.slice().sort(byName)
    let query = ''
    let canonicalQueryString = ''
    for (let i = 0; i < params.length; i++) {
      const sep = i === 0 ? '' : '&'
      query += sep + params[i][0] + '=' + params[i][1]
      canonicalQueryString += sep + canonicalQuery[i][0] + '=' + canonicalQuery[i][1]
    }
    const canonicalRequest = [
      req.method,
      basePath + path,
      canonicalQueryString,
      headers.canonical + '\n',
      headers.signed,
      headers.payload,
    ].join('\n')
    const hash = toHex(await crypto.subtle.digest('SHA-256', encoder.encode(canonicalRequest)))
    const signature = toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(stringToSignPrefix + hash)))
    return base + path + '?' + query + '&X-Amz-Signature=' + signature
  }

  return { datetime, sign }
}

/** One presigned URL. For many at the same instant, use createPresigner once and sign each. */
export async function presignUrl(s3: Config['s3'], req: PresignRequest): Promise<string> {
  return (await createPresigner(s3, req.now)).sign(req)
}
