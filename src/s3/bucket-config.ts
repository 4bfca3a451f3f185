// A bucket's configuration documents (?cors, ?lifecycle) read and written as raw XML, for the
// bucket doctor. Kept raw so rules bucketgate does not understand survive a rewrite.
import type { S3Settings } from './settings'
import { s3Fetch, toS3Error } from './client'
import { bucketUrl } from './urls'

export type BucketConfigName = 'cors' | 'lifecycle'
/** Base64 MD5 of a body: S3 requires Content-MD5 on PutBucketCors and PutBucketLifecycle. */
export type Md5 = (body: Uint8Array) => Promise<string>

/** workerd's WebCrypto implements MD5 (non-standard); Node's does not, so Node callers pass their own. */
export async function webCryptoMd5(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('MD5', body)
  let binary = ''
  for (const b of new Uint8Array(digest)) binary += String.fromCharCode(b)
  return btoa(binary)
}

function url(s3: S3Settings, name: BucketConfigName): string {
  return `${bucketUrl(s3)}/?${name}=`
}

/** The document, or null when the bucket has none (404 NoSuchCORSConfiguration / NoSuchLifecycleConfiguration). */
export async function readBucketConfig(s3: S3Settings, name: BucketConfigName): Promise<string | null> {
  const res = await s3Fetch(s3, url(s3, name))
  if (res.status === 404) {
    const err = await toS3Error(res)
    if (err.s3Code.startsWith('NoSuch') && err.s3Code !== 'NoSuchBucket') return null
    throw err
  }
  if (!res.ok) throw await toS3Error(res)
  return res.text()
}

export async function writeBucketConfig(
  s3: S3Settings,
  name: BucketConfigName,
  xml: string,
  md5: Md5 = webCryptoMd5,
): Promise<void> {
  const body = new TextEncoder().encode(xml)
  const res = await s3Fetch(s3, url(s3, name), {
    method: 'PUT',
    body,
    headers: { 'Content-MD5': await md5(body), 'Content-Type': 'application/xml' },
  })
  if (!res.ok) throw await toS3Error(res)
}
