// The few S3 calls that stay on the server: list a prefix, check an object exists, delete it.
// Callers pass full keys already confined by keys.ts; nothing here decides ownership.
import type { S3Settings } from './settings'
import { bucketUrl, objectUrl } from './urls'
import { s3Fetch, toS3Error } from './client'
import type { ListPage } from './xml'
import { parseListObjectsV2 } from './list-page'
import { toQueryString } from './encoding'

export async function listObjects(
  s3: S3Settings,
  opts: { prefix: string; maxKeys: number; continuationToken?: string; startAfter?: string },
): Promise<ListPage> {
  const params: [string, string][] = [
    ['list-type', '2'],
    ['prefix', opts.prefix],
    ['max-keys', String(opts.maxKeys)],
  ]
  if (opts.continuationToken) params.push(['continuation-token', opts.continuationToken])
  if (opts.startAfter) params.push(['start-after', opts.startAfter])
  const res = await s3Fetch(s3, `${bucketUrl(s3)}/?${toQueryString(params)}`)
  if (!res.ok) throw await toS3Error(res)
  return parseListObjectsV2(await res.text())
}

export async function objectExists(s3: S3Settings, key: string): Promise<boolean> {
  const res = await s3Fetch(s3, objectUrl(s3, key), { method: 'HEAD' })
  if (res.status === 404) return false
  if (!res.ok) throw await toS3Error(res)
  return true
}

export async function deleteObject(s3: S3Settings, key: string): Promise<void> {
  const res = await s3Fetch(s3, objectUrl(s3, key), { method: 'DELETE' })
  if (!res.ok && res.status !== 404) throw await toS3Error(res)
}
