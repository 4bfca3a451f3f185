// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT (uploads/ticket.ts); POST /api/uploads/preview: one for the preview of a file
// already stored (uploads/preview-ticket.ts). The server picks the key under the caller's root; either way
// the signature pins key, type, exact size and expiry. The ticket's size is reserved in the caller's
// ledger first, and POST /api/uploads/complete has the ledger check and count the upload once the
// bucket took it.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { resolveKey } from '../keys'
import { issuePreviewTicket } from '../uploads/preview-ticket'
import { issueTicket } from '../uploads/ticket'
import { PreviewRequest, UploadRequest } from '../uploads/upload-request'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'

const ConfirmRequest = v.object({ key: v.string('key is required') })

export const uploadRoutes = new Hono<AppEnv>()
  .post('/', validate('json', UploadRequest), async (c) => {
    const { config, user } = c.var
    const file = c.req.valid('json')
    const ledger = ledgerFor(c)
    const reserve = ledger && ledger.reserve.bind(ledger)
    const ticket = await issueTicket(config, user.root, file, new Date(), reserve)
    audit('ticket', { user: user.id, key: ticket.relativeKey, size: file.size, requestId: c.var.requestId })
    return c.json({ key: ticket.relativeKey, expiresAt: ticket.expiresAt.toISOString(), upload: ticket.upload })
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
    c.var.uploadCompleted(file)
    return c.json({ key: relative, size: file.size, type: file.type, etag: file.etag, usage })
  })
  // Previews are not counted by the ledger (docs/architecture.md, "Previews"): at most one per
  // stored file, of at most THUMBNAIL_MAX_BYTES.
  .post('/preview', validate('json', PreviewRequest), async (c) => {
    const { config, user } = c.var
    const preview = c.req.valid('json')
    const ticket = await issuePreviewTicket(config, user.root, preview, new Date())
    return c.json({ key: preview.key, expiresAt: ticket.expiresAt.toISOString(), upload: ticket.upload })
  })
