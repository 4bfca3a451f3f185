// The ticket for a file's preview: a WebP of at most THUMBNAIL_MAX_BYTES, at the key keys.ts derives
// from the file's (never one the client names), for a file of the caller's that is already stored.
// Signed like any upload (POST policy or PUT), pinning key, type, exact size and expiry; a PUT
// leaves out If-None-Match, so a preview can be sent again and replace the last one.
import type { Config } from '../config'
import { ApiError } from '../errors'
import { previewKey, resolveKey } from '../keys'
import { objectExists } from '../s3/objects'
import { createPostTicket, type PostTicket } from './post-ticket'
import { createPutTicket, type PutTicket } from './put-ticket'
import { checkPreview } from './upload-rules'

/** Every preview is WebP: the page encodes it so, and the list serves it so. */
export const PREVIEW_TYPE = 'image/webp'

export async function issuePreviewTicket(
  config: Config,
  root: string,
  preview: { key: string; size: number },
  now: Date,
): Promise<{ expiresAt: Date; upload: PostTicket | PutTicket }> {
  const { size } = preview
  checkPreview(size, config.upload)
  const file = resolveKey(root, preview.key)
  const key = previewKey(file)
  // Only a stored file of the caller's gets a preview, so previews never outnumber files.
  if (!(await objectExists(config.s3, file))) throw new ApiError(404, 'not_found', 'No such file')
  const expiresAt = new Date(now.getTime() + config.upload.ttlSeconds * 1000)
  const upload =
    config.upload.mode === 'put'
      ? await createPutTicket(config.s3, {
          key,
          contentType: PREVIEW_TYPE,
          size,
          now,
          expiresSeconds: config.upload.ttlSeconds,
          ifNoneMatch: false,
        })
      : await createPostTicket(config.s3, { key, contentType: PREVIEW_TYPE, size, now, expiresAt })
  return { expiresAt, upload }
}
