// The `upload.completed` event: what a file that arrived looks like to the outside (a host's
// onUploadCompleted hook, the webhook's body). `key` is the owner's relative key, never the root.
import { headObject } from '../s3/head-object'
import type { S3Settings } from '../s3/settings'
import { displayName } from './object-names'

/** A finished object as S3 holds it: full key, bytes, media type, ETag (unquoted). */
export type CompletedFile = { key: string; size: number; type: string; etag: string }

export type UploadCompletedEvent = {
  type: 'upload.completed'
  /** ISO 8601. */
  timestamp: string
  data: { user: string; key: string; name: string; size: number; contentType: string; etag: string }
}

export function uploadCompletedEvent(
  owner: { id: string; root: string },
  file: CompletedFile,
  at: Date,
): UploadCompletedEvent {
  const key = file.key.slice(owner.root.length)
  return {
    type: 'upload.completed',
    timestamp: at.toISOString(),
    data: { user: owner.id, key, name: displayName(key), size: file.size, contentType: file.type, etag: file.etag },
  }
}

/** `file` with its ETag, asked of S3 when the completion did not say (Ceph RGW answers an empty one). */
export async function withEtag(s3: S3Settings, file: CompletedFile): Promise<CompletedFile> {
  if (file.etag) return file
  return { ...file, etag: (await headObject(s3, file.key))?.etag ?? '' }
}
