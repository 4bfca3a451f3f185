// Where the bucket and its objects live: path-style (`endpoint/bucket/key`) for local servers and
// when forced, virtual-hosted (`bucket.endpoint/key`) otherwise, as AWS recommends.
import type { Config } from '../config'
import { encodeKeyPath } from '../signing/sigv4'

export function bucketUrl(s3: Config['s3']): string {
  const { endpoint, bucket } = s3
  const base = `${endpoint.protocol}//`
  return s3.pathStyle ? `${base}${endpoint.host}/${bucket}` : `${base}${bucket}.${endpoint.host}`
}

export function objectUrl(s3: Config['s3'], key: string): string {
  return `${bucketUrl(s3)}/${encodeKeyPath(key)}`
}
