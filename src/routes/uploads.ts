// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT. The server picks the key under the caller's root; either way the signature pins
// key, type, exact size and expiry.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { CONTROL_CHARACTERS, relativeKey, resolveKey } from '../keys'
import { objectId, sanitizeName } from '../object-names'
import { createPostTicket } from '../signing/post-policy'
import { createPutTicket } from '../signing/put-ticket'
import { SINGLE_UPLOAD_MAX_BYTES } from '../config'
import { ApiError } from '../errors'
import { checkUpload } from '../upload-rules'
import { validate } from '../validate'
import { audit } from '../audit'
import { ledgerFor } from '../ledger/client'

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
    const relative = `${objectId(now.getTime(), crypto.getRandomValues(new Uint8Array(5)))}/${sanitizeName(name)}`
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
    const [, upload] = await Promise.all([reserve(c, key, size, type, expiresAt), signing])
    audit(c, 'ticket', { key: relative, size })
    return c.json({ key: relative, expiresAt: expiresAt.toISOString(), upload })
  })
  // The page calls this after S3 took the upload: the ledger checks the object and counts it.
  .post('/complete', validate('json', ConfirmRequest), async (c) => {
    const { config, user } = c.var
    const relative = c.req.valid('json').key
    const key = resolveKey(user.root, relative)
    const ledger = ledgerFor(c.env, config, user)
    if (!ledger) throw new ApiError(404, 'not_found', 'This deployment keeps no usage ledger; nothing to confirm')
    const { file, usage } = await ledger.confirm(key)
    audit(c, 'confirm', { key: relative, size: file.size })
    return c.json({ key: relative, size: file.size, type: file.type, etag: file.etag, usage })
  })

/** Reserves a ticket's size against the caller's quota (no-op without a ledger); refusals are audited. */
export async function reserve(c: Context<AppEnv>, key: string, size: number, type: string, expiresAt: Date) {
  const ledger = ledgerFor(c.env, c.var.config, c.var.user)
  if (!ledger) return
  try {
    await ledger.reserve(key, size, type, expiresAt)
  } catch (err) {
    if (err instanceof ApiError && err.code === 'quota_exceeded') {
      audit(c, 'quota_refused', { key: relativeKey(c.var.user.root, key), size })
    }
    throw err
  }
}
