// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT. The server picks the key under the caller's root; either way the signature pins
// key, type, exact size and expiry.
import { Hono } from 'hono'
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

export const uploadRoutes = new Hono<AppEnv>().post('/', validate('json', UploadRequest), async (c) => {
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
  const upload =
    config.upload.mode === 'put'
      ? await createPutTicket(config.s3, {
          key,
          contentType: type,
          size,
          now,
          expiresSeconds: config.upload.ttlSeconds,
          ifNoneMatch: config.upload.putIfNoneMatch,
        })
      : await createPostTicket(config.s3, { key, contentType: type, size, now, expiresAt })
  return c.json({ key: relative, expiresAt: expiresAt.toISOString(), upload })
})
