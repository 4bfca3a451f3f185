// HEAD one object: what S3 holds at a full key (size, type, ETag), or null when nothing is there.
// Callers pass full keys already confined by keys.ts.
import type { S3Settings } from './settings'
import { objectUrl } from './urls'
import { s3Fetch, toS3Error } from './client'
import { unquoteEtag } from './etag'

export type ObjectHead = { size: number; type: string; etag: string }

export async function headObject(s3: S3Settings, key: string): Promise<ObjectHead | null> {
  const res = await s3Fetch(s3, objectUrl(s3, key), { method: 'HEAD' })
  if (res.status === 404) return null
  if (!res.ok) throw await toS3Error(res)
  return {
    size: Number(res.headers.get('Content-Length') ?? 'NaN'),
    type: (res.headers.get('Content-Type') ?? '').toLowerCase(),
    etag: unquoteEtag(res.headers.get('ETag') ?? ''),
  }
}
