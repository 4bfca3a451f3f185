// One file, one request: the ticket for a single upload, the same for /api/uploads and Uppy's
// /s3/params. The key is new under the caller's root; the ticket is a POST policy or, with
// UPLOAD_MODE=put, a presigned PUT, and either pins key, type, size and expiry. A file of unknown
// size (Uppy sends none by default) gets a POST policy bounded to 1 byte .. UPLOAD_MAX_BYTES.
import type { Config } from '../config'
import { ApiError } from '../errors'
import { resolveKey } from '../keys'
import { SINGLE_UPLOAD_MAX_BYTES } from '../s3/limits'
import { newObjectName } from './object-names'
import { createPostTicket, type PostTicket } from './post-ticket'
import { createPutTicket, type PutTicket } from './put-ticket'
import { checkUpload } from './upload-rules'

export type Ticket = { relativeKey: string; key: string; expiresAt: Date; upload: PostTicket | PutTicket }

/** Counts an upload against the caller's quota before its ticket leaves the Worker (the ledger). */
export type Reserve = (key: string, size: number, type: string, until: Date) => Promise<unknown>

/**
 * `size` undefined: the client did not say, and the most the ticket allows is reserved. The ticket is
 * signed while `reserve` runs, and returned only once it holds.
 */
export async function issueTicket(
  config: Config,
  root: string,
  file: { name: string; type: string; size?: number },
  now: Date,
  reserve?: Reserve,
): Promise<Ticket> {
  const { size, type } = file
  checkUpload(type, size ?? 0, config.upload)
  if (size !== undefined && size > SINGLE_UPLOAD_MAX_BYTES) {
    throw new ApiError(413, 'too_large', `Files over ${SINGLE_UPLOAD_MAX_BYTES} bytes must use a multipart upload`)
  }
  const expiresAt = new Date(now.getTime() + config.upload.ttlSeconds * 1000)
  const relativeKey = newObjectName(file.name, now)
  const key = resolveKey(root, relativeKey)
  if (config.upload.mode === 'put') {
    if (size === undefined) {
      throw new ApiError(400, 'size_required', 'The file size is required: a PUT upload signs the exact length')
    }
    const signing = createPutTicket(config.s3, {
      key,
      contentType: type,
      size,
      now,
      expiresSeconds: config.upload.ttlSeconds,
      ifNoneMatch: config.upload.putIfNoneMatch,
    })
    const [, upload] = await Promise.all([reserve?.(key, size, type, expiresAt), signing])
    return { relativeKey, key, expiresAt, upload }
  }
  const bounds = size ?? { min: 1, max: Math.min(config.upload.maxBytes, SINGLE_UPLOAD_MAX_BYTES) }
  const signing = createPostTicket(config.s3, { key, contentType: type, size: bounds, now, expiresAt })
  const reserved = typeof bounds === 'number' ? bounds : bounds.max
  const [, upload] = await Promise.all([reserve?.(key, reserved, type, expiresAt), signing])
  return { relativeKey, key, expiresAt, upload }
}
