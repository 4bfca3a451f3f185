// An upload ticket in the configured mode: a browser POST policy, or (UPLOAD_MODE=put) a presigned
// PUT. Either way the signature pins the key, the type, the exact size and the expiry.
import type { Config } from '../config'
import { createPostTicket, type PostTicket } from './post-ticket'
import { createPutTicket, type PutTicket } from './put-ticket'

export type UploadTicket = { expiresAt: Date; upload: PostTicket | PutTicket }

/** When a ticket signed at `now` expires: UPLOAD_TTL_SECONDS later. */
export function ticketExpiresAt(config: Config, now: Date): Date {
  return new Date(now.getTime() + config.upload.ttlSeconds * 1000)
}

/**
 * `replaceable`: a PUT ticket leaves out `If-None-Match: *` (a preview may be sent again); a POST
 * policy cannot forbid replacing, which is why new uploads get fresh keys (object-names.ts).
 */
export async function createUploadTicket(
  config: Config,
  req: { key: string; contentType: string; size: number; now: Date; replaceable?: boolean },
): Promise<UploadTicket> {
  const { key, contentType, size, now } = req
  const expiresAt = ticketExpiresAt(config, now)
  const upload =
    config.upload.mode === 'put'
      ? await createPutTicket(config.s3, {
          key,
          contentType,
          size,
          now,
          expiresSeconds: config.upload.ttlSeconds,
          ifNoneMatch: config.upload.putIfNoneMatch && !req.replaceable,
        })
      : await createPostTicket(config.s3, { key, contentType, size, now, expiresAt })
  return { expiresAt, upload }
}
