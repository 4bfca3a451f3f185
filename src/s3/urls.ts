// Where the bucket and its objects live: path-style (`endpoint/bucket/key`) for local servers and
// when forced, virtual-hosted (`bucket.endpoint/key`) otherwise, as AWS recommends. The one place
// that decides the host and path an S3 request (or a signature over it) uses.
import { encodeKeyPath } from './encoding'
import type { S3Settings } from './settings'

/** IP literals and localhost cannot carry a bucket subdomain, so they always use path-style URLs. */
export function needsPathStyle(endpoint: URL): boolean {
  const host = endpoint.hostname
  return host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')
}

/** The host S3 requests go to (and that SigV4 signs). */
export function bucketHost(s3: S3Settings): string {
  return s3.pathStyle ? s3.endpoint.host : `${s3.bucket}.${s3.endpoint.host}`
}

/** The path an object key is appended to: `/bucket/` path-style, `/` virtual-hosted. */
export function bucketBasePath(s3: S3Settings): string {
  return s3.pathStyle ? `/${s3.bucket}/` : '/'
}

export function bucketUrl(s3: S3Settings): string {
  const base = `${s3.endpoint.protocol}//${bucketHost(s3)}`
  return s3.pathStyle ? `${base}/${s3.bucket}` : base
}

export function objectUrl(s3: S3Settings, key: string): string {
  return `${bucketUrl(s3)}/${encodeKeyPath(key)}`
}
