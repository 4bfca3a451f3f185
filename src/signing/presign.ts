// Presigned S3 URLs (query-string SigV4) through aws4fetch's AwsV4Signer. The clock is a parameter.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import { AwsV4Signer } from 'aws4fetch'
import type { Config } from '../config'
import { objectUrl } from '../s3/urls'
import { amzDate, toQueryString } from './sigv4'

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

// aws4fetch caches the derived key bytes per date/region; one map per isolate keeps that cache warm.
const derivedKeyCache = new Map<string, ArrayBuffer>()

export async function presignUrl(s3: Config['s3'], req: PresignRequest): Promise<string> {
  const url = new URL(objectUrl(s3, req.key))
  for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value)
  // aws4fetch would default to 24 hours; always say how long.
  url.searchParams.set('X-Amz-Expires', String(req.expiresSeconds))
  const signer = new AwsV4Signer({
    url: url.toString(),
    method: req.method,
    headers: req.headers,
    // aws4fetch skips content-type and content-length unless told to sign every header given.
    allHeaders: req.headers !== undefined,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    service: 's3',
    region: s3.region,
    datetime: amzDate(req.now),
    signQuery: true,
    cache: derivedKeyCache,
  })
  const signed = (await signer.sign()).url
  // Re-serialize the query: URLSearchParams writes spaces as `+` (mhart/aws4fetch#83).
  signed.search = toQueryString(signed.searchParams)
  return signed.toString()
}
