// POST /api/uploads: an upload ticket for one file; POST /api/uploads/preview: one for the preview of a
// file already stored. The server picks every key (a new file's under the caller's root, a preview's
// beside its file, keys.ts); the signature pins key, type, exact size and expiry (uploads/ticket.ts).
// A file's size is reserved in the caller's ledger first, and POST /api/uploads/complete has the
// ledger check and count the upload once the bucket took it.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { previewKey, resolveKey } from '../keys'
import { newObjectName } from '../uploads/object-names'
import { createUploadTicket, ticketExpiresAt } from '../uploads/ticket'
import { SINGLE_UPLOAD_MAX_BYTES } from '../s3/limits'
import { objectExists } from '../s3/objects'
import { ApiError } from '../errors'
import { PreviewRequest, UploadRequest } from '../uploads/upload-request'
import { checkPreview, checkUpload } from '../uploads/upload-rules'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'

const ConfirmRequest = v.object({ key: v.string('key is required') })

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
    // Signed while the ledger reserves, but handed out only once the reservation holds: a ticket the
    // ledger did not count never leaves the Worker.
    const [, { expiresAt, upload }] = await Promise.all([
      ledgerFor(c)?.reserve(key, size, type, ticketExpiresAt(config, now)),
      createUploadTicket(config, { key, contentType: type, size, now }),
    ])
    audit('ticket', { user: user.id, key: relative, size, requestId: c.var.requestId })
    return c.json({ key: relative, expiresAt: expiresAt.toISOString(), upload })
  })
  // The page calls this after S3 took the upload: the ledger checks the object and counts it.
  .post('/complete', validate('json', ConfirmRequest), async (c) => {
    const { user } = c.var
    const relative = c.req.valid('json').key
    const key = resolveKey(user.root, relative)
    const ledger = ledgerFor(c)
    if (!ledger) throw new ApiError(404, 'not_found', 'This deployment keeps no usage ledger; nothing to confirm')
    const { file, usage } = await ledger.confirm(key)
    audit('confirm', { user: user.id, key: relative, size: file.size, requestId: c.var.requestId })
    return c.json({ key: relative, size: file.size, type: file.type, etag: file.etag, usage })
  })
  // Previews are not counted by the ledger (docs/architecture.md, "Previews"): at most one per
  // stored file, of at most THUMBNAIL_MAX_BYTES.
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
