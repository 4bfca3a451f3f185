// POST /api/uploads: an upload ticket for one file; POST /api/uploads/preview: one for the preview of a
// file already stored. The server picks every key (a new file's under the caller's root, a preview's
// beside its file, keys.ts); the signature pins key, type, exact size and expiry (uploads/ticket.ts).
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { previewKey, resolveKey } from '../keys'
import { newObjectName } from '../uploads/object-names'
import { createUploadTicket } from '../uploads/ticket'
import { SINGLE_UPLOAD_MAX_BYTES } from '../s3/limits'
import { objectExists } from '../s3/objects'
import { ApiError } from '../errors'
import { PreviewRequest, UploadRequest } from '../uploads/upload-request'
import { checkPreview, checkUpload } from '../uploads/upload-rules'
import { validate } from '../util/validate'

/** Every preview is WebP: the page encodes it so, and the list serves it so. */
const PREVIEW_TYPE = 'image/webp'

export const uploadRoutes = new Hono<AppEnv>()
  .post('/', validate('json', UploadRequest), async (c) => {
    const { config, user } = c.var
    const { name, type, size } = c.req.valid('json')
    checkUpload(type, size, config.upload)
    if (size > SINGLE_UPLOAD_MAX_BYTES) {
      throw new ApiError(413, 'too_large', `Files over ${SINGLE_UPLOAD_MAX_BYTES} bytes must use /api/multipart`)
    }
    const now = new Date()
    const relative = newObjectName(name, now)
    const key = resolveKey(user.root, relative)
    const { expiresAt, upload } = await createUploadTicket(config, { key, contentType: type, size, now })
    return c.json({ key: relative, expiresAt: expiresAt.toISOString(), upload })
  })
  .post('/preview', validate('json', PreviewRequest), async (c) => {
    const { config, user } = c.var
    const { key: relative, size } = c.req.valid('json')
    checkPreview(size, config.upload)
    const key = resolveKey(user.root, relative)
    const preview = previewKey(key)
    // Only a stored file of the caller's gets a preview, so previews never outnumber files.
    if (!(await objectExists(config.s3, key))) throw new ApiError(404, 'not_found', 'No such file')
    const now = new Date()
    const ticket = await createUploadTicket(config, {
      key: preview,
      contentType: PREVIEW_TYPE,
      size,
      now,
      replaceable: true,
    })
    return c.json({ key: relative, expiresAt: ticket.expiresAt.toISOString(), upload: ticket.upload })
  })
