// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT. The server picks the key under the caller's root; either way the signature pins
// key, type, exact size and expiry.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { CONTROL_CHARACTERS, resolveKey } from '../keys'
import { objectId, sanitizeName } from '../object-names'
import { createPostTicket } from '../signing/post-policy'
import { createPutTicket } from '../signing/put-ticket'
import { SINGLE_UPLOAD_MAX_BYTES } from '../config'
import { ApiError } from '../errors'
import { checkUpload } from '../upload-rules'
import { validate } from '../validate'

/** Longest original file name accepted, in characters (most file systems stop at 255). */
const MAX_NAME_LENGTH = 255

export const UploadRequest = v.object({
  name: v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`),
    v.check((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters'),
    v.check((s) => s.isWellFormed(), 'must be valid Unicode'),
  ),
  type: v.pipe(
    v.string('must be a string'),
    v.toLowerCase(),
    v.regex(
      /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/,
      'must be a media type like image/png',
    ),
  ),
  size: v.pipe(
    v.number('must be a number'),
    v.safeInteger('must be a whole number'),
    v.minValue(0, 'must not be negative'),
  ),
})

export const uploadRoutes = new Hono<AppEnv>().post('/', validate('json', UploadRequest), async (c) => {
  const { config, user } = c.var
  const { name, type, size } = c.req.valid('json')
  checkUpload(type, size, config.upload)
  if (size > SINGLE_UPLOAD_MAX_BYTES) {
    throw new ApiError(413, 'too_large', `Files over ${SINGLE_UPLOAD_MAX_BYTES} bytes must use /api/multipart`)
  }
  const now = new Date()
  const expiresAt = new Date(now.getTime() + config.upload.ttlSeconds * 1000)
  const relative = `${objectId(now.getTime(), crypto.getRandomValues(new Uint8Array(5)))}/${sanitizeName(name)}`
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
