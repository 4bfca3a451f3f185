// Presigned S3 URLs (query-string SigV4), many per request. A Presigner is bound to one bucket and
// one instant: the derived key, credential and host are computed once, so each URL costs one
// SHA-256 (canonical request) and one HMAC (string to sign), done for a whole batch by hash.ts (four
// URLs at a time in WebAssembly where it runs). The output is byte-identical to aws4fetch's AwsV4Signer
// (signQuery; allHeaders when headers are given) with the query written in RFC 3986 form
// (test/unit/signing/presign-identity.test.ts holds it to that).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import type { Config } from '../config'
import { encodeKeyPath, encodeRfc3986 } from '../s3/encoding'
import { PRESIGN_MAX_EXPIRES_SECONDS } from '../s3/limits'
import { bucketBasePath, bucketHost, bucketUrl } from '../s3/urls'
import { BoundedCache } from '../util/bounded-cache'
import { defaultHasher, type SignatureHasher } from './hash'
import { ALGORITHM, amzDate, credentialScope, signingKeyBytes } from './sigv4'

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
  /** One URL. */
  sign(req: PresignOptions): Promise<string>
  /** Many URLs (a list page's), in order, hashed together (hash.ts). */
  signAll(reqs: readonly PresignOptions[]): Promise<string[]>
}

/** The signer's own query parameters all start with this; no override may (see nameEntry). */
const OWN_PREFIX = 'X-Amz-'

/** Canonical headers, signed-header list and payload hash for the headers a client must send. */
function headerParts(host: string, given: Record<string, string> | undefined) {
  if (given === undefined) {
    return {
      canonical: 'host:' + host,
      signed: 'host',
      signedParam: 'X-Amz-SignedHeaders=host',
      payload: UNSIGNED_PAYLOAD,
    }
  }
  // Headers normalizes names and values (lowercase, trimmed, validated) exactly as aws4fetch sees them.
  const headers = new Headers(given)
  headers.delete('host')
  const names = ['host', ...headers.keys()].sort()
  const canonical = names.map((n) => n + ':' + (n === 'host' ? host : (headers.get(n) ?? '').replace(/\s+/g, ' ')))
  const signed = names.join(';')
  return {
    canonical: canonical.join('\n'),
    signed,
    signedParam: 'X-Amz-SignedHeaders=' + encodeRfc3986(signed),
    payload: headers.get('x-amz-content-sha256') || UNSIGNED_PAYLOAD,
  }
}

const RELATIVE_SEGMENT = /(^|\/)\.\.?(\/|$)/

function checkRequest(req: PresignOptions): void {
  const { expiresSeconds } = req
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > PRESIGN_MAX_EXPIRES_SECONDS) {
    throw new Error(`expiresSeconds must be a whole number from 1 to ${PRESIGN_MAX_EXPIRES_SECONDS}`)
  }
  // URL parsing would resolve these segments, so the URL would name (and sign) another key.
  if (RELATIVE_SEGMENT.test(req.key)) throw new Error('a key must not contain . or .. segments')
}

/** What is known about one override name: its encoding, and the last value given with it, encoded. */
type NameEntry = { encoded: string; lastValue: string; lastPair: string }

// Override names are a handful of constants (response-*, partNumber, uploadId): check and encode
// each once per isolate rather than once per URL. Many values repeat from URL to URL (a list's
// response-content-type and response-cache-control), so each name also keeps its last pair.
const names = new BoundedCache<string, NameEntry>(64)

function nameEntry(name: string): NameEntry {
  let entry = names.get(name)
  if (entry === undefined) {
    // The X-Amz-* parameters are the signer's own; an override would silently replace one.
    if (name === '' || /^x-amz-/i.test(name)) throw new Error(`query parameter ${JSON.stringify(name)} is reserved`)
    // URLSearchParams (and so aws4fetch) turns lone surrogates into U+FFFD; do the same.
    const encoded = encodeRfc3986(name.toWellFormed())
    entry = { encoded, lastValue: '', lastPair: encoded + '=' }
    names.set(name, entry)
  }
  return entry
}

/** `name=value`, encoded. */
function encodedPair(entry: NameEntry, value: string): string {
  if (value !== entry.lastValue) {
    entry.lastPair = entry.encoded + '=' + encodeRfc3986(value.toWellFormed())
    entry.lastValue = value
  }
  return entry.lastPair
}

type EncodedQuery = {
  /** `name=value&` pairs in the caller's order (the URL's order, as aws4fetch writes it). */
  inOrder: string
  /** `name=value&` pairs sorted by encoded name, those before and after the X-Amz-* parameters. */
  before: string
  after: string
}
const NO_QUERY: EncodedQuery = { inOrder: '', before: '', after: '' }

/** The last query encoded, and its encoding: a page's URLs often share all their overrides. */
let lastQuery: { names: string[]; values: string[]; encoded: EncodedQuery } | undefined

/** The last query's encoding if `query` (its names in order, and their values) is the same. */
function lastEncoding(names: string[], query: Record<string, string>): EncodedQuery | undefined {
  if (lastQuery === undefined || lastQuery.names.length !== names.length) return undefined
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== lastQuery.names[i] || query[names[i]] !== lastQuery.values[i]) return undefined
  }
  return lastQuery.encoded
}

/**
 * Query overrides encoded and in both orders. No encoded name starts with `X-Amz-`, and any string
 * sorting between two X-Amz-* names would, so every override sorts wholly before or after them.
 */
function encodedQuery(query: Record<string, string> | undefined): EncodedQuery {
  if (query === undefined) return NO_QUERY
  const names = Object.keys(query)
  const same = lastEncoding(names, query)
  if (same !== undefined) return same
  const sorted: [string, string][] = []
  let inOrder = ''
  for (const name of names) {
    const known = nameEntry(name)
    const { encoded } = known
    const pair = encodedPair(known, query[name])
    inOrder += pair + '&'
    // Insertion sort: a URL carries a handful of overrides at most.
    const entry: [string, string] = [encoded, pair]
    let i = sorted.length
    sorted.push(entry)
    while (i > 0 && sorted[i - 1][0] > encoded) {
      sorted[i] = sorted[i - 1]
      i--
    }
    sorted[i] = entry
  }
  let before = ''
  let after = ''
  for (const [encoded, pair] of sorted) {
    if (encoded < OWN_PREFIX) before += pair + '&'
    else after += '&' + pair
  }
  const encoded = { inOrder, before, after }
  lastQuery = { names, values: names.map((name) => query[name]), encoded }
  return encoded
}

/** A presigner for `s3` at `now`; sign() as many URLs as needed (e.g. one list page) with it. */
export async function createPresigner(
  s3: Config['s3'],
  now: Date,
  hasher: SignatureHasher = defaultHasher,
): Promise<Presigner> {
  const datetime = amzDate(now)
  const scope = credentialScope(datetime.slice(0, 8), s3.region)
  const key = await signingKeyBytes(s3.secretAccessKey, datetime.slice(0, 8), s3.region, 's3')
  const base = bucketUrl(s3) + '/'
  const host = bucketHost(s3)
  const basePath = bucketBasePath(s3)
  // The string to sign is this fixed start and the canonical request's hash in hex.
  const signatures = hasher.signer(key, `${ALGORITHM}\n${datetime}\n${scope}\n`)
  const algorithmParam = 'X-Amz-Algorithm=' + ALGORITHM
  const credentialParam = 'X-Amz-Credential=' + encodeRfc3986(`${s3.accessKeyId}/${scope}`)
  const dateParam = 'X-Amz-Date=' + datetime
  // The X-Amz-* parameters in canonical (sorted) order, up to the expiry, which each URL adds.
  const canonicalOwnStart = `${algorithmParam}&${credentialParam}&${dateParam}&X-Amz-Expires=`
  const plainHeaders = headerParts(host, undefined)

  /** `req`'s canonical request into `canonical[i]`; returns its URL, all but the signature. */
  function prepare(req: PresignOptions, canonical: string[], i: number): string {
    checkRequest(req)
    const path = encodeKeyPath(req.key)
    const headers = req.headers === undefined ? plainHeaders : headerParts(host, req.headers)
    const overrides = encodedQuery(req.query)
    const canonicalQuery = `${overrides.before}${canonicalOwnStart}${req.expiresSeconds}&${headers.signedParam}${overrides.after}`
    canonical[i] =
      `${req.method}\n${basePath}${path}\n${canonicalQuery}\n${headers.canonical}\n\n${headers.signed}\n${headers.payload}`
    // URL order: overrides, then the X-Amz-* parameters in the order aws4fetch adds them.
    return `${base}${path}?${overrides.inOrder}X-Amz-Expires=${req.expiresSeconds}&${dateParam}&${algorithmParam}&${credentialParam}&${headers.signedParam}&X-Amz-Signature=`
  }

  async function signAll(reqs: readonly PresignOptions[]): Promise<string[]> {
    const canonical: string[] = new Array(reqs.length)
    const urls = reqs.map((req, i) => prepare(req, canonical, i))
    const signed = await signatures(canonical)
    for (let i = 0; i < urls.length; i++) urls[i] += signed[i]
    return urls
  }

  return { datetime, sign: async (req) => (await signAll([req]))[0], signAll }
}

/** One presigned URL. For many at the same instant, use createPresigner once and signAll them. */
export async function presignUrl(s3: Config['s3'], req: PresignRequest): Promise<string> {
  return (await createPresigner(s3, req.now)).sign(req)
}
