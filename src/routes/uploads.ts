// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT. The server picks the key under the caller's root; either way the signature pins
// key, type, exact size and expiry. The ticket's size is reserved in the caller's ledger first, and
// POST /api/uploads/complete has the ledger check and count the upload once the bucket took it.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { resolveKey } from '../keys'
import { newObjectName } from '../uploads/object-names'
import { createPostTicket } from '../uploads/post-ticket'
import { createPutTicket } from '../uploads/put-ticket'
import { SINGLE_UPLOAD_MAX_BYTES } from '../s3/limits'
import { ApiError } from '../errors'
import { UploadRequest } from '../uploads/upload-request'
import { checkUpload } from '../uploads/upload-rules'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'

const ConfirmRequest = v.object({ key: v.string('key is required') })

export const uploadRoutes = new Hono<AppEnv>()
  .post('/', validate('json', UploadRequest), async (c) => {
    const { config, user } = c.var
    const { name, type, size } = c.req.valid('json')
    checkUpload(type, size, config.upload)
    if (size > SINGLE_UPLOAD_MAX_BYTES) {
      throw new ApiError(413, 'too_large', `Files over ${SINGLE_UPLOAD_MAX_BYTES} bytes must use /api/multipart`)
    }
    const now = new Date()
    const expiresAt = new Date(now.getTime() + config.upload.ttlSeconds * 1000)
    const relative = newObjectName(name, now)
    const key = resolveKey(user.root, relative)
    const signing =
      config.upload.mode === 'put'
        ? createPutTicket(config.s3, {
            key,
            contentType: type,
            size,
            now,
            expiresSeconds: config.upload.ttlSeconds,
            ifNoneMatch: config.upload.putIfNoneMatch,
          })
        : createPostTicket(config.s3, { key, contentType: type, size, now, expiresAt })
    // Signed while the ledger reserves, but handed out only once the reservation holds: a ticket the
    // ledger did not count never leaves the Worker.
    const [, upload] = await Promise.all([ledgerFor(c)?.reserve(key, size, type, expiresAt), signing])
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
