// /api/multipart: big files straight from the browser to the bucket in parts. The server picks the
// key under the caller's root, creates the upload, and returns a signed upload token (see
// uploads/upload-token.ts); every later step needs that token for exactly this key and uploadId, so
// nobody can sign parts, list, complete or abort an upload that is not theirs. Each part URL signs
// the exact Content-Length of that part, and completion requires every part at its planned size, so
// the object is exactly the declared size.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError, S3Error } from '../errors'
import { resolveKey } from '../keys'
import { unquoteEtag } from '../s3/etag'
import { MAX_PARTS } from '../s3/limits'
import { planParts, partLength, type PartPlan } from '../uploads/part-plan'
import { newObjectName } from '../uploads/object-names'
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts } from '../s3/multipart'
import { createPresigner } from '../signing/presign'
import { signUploadToken, verifyUploadToken, type UploadGrant } from '../uploads/upload-token'
import { UploadRequest } from '../uploads/upload-request'
import { checkUpload } from '../uploads/upload-rules'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'

/** Most part URLs signed in one batch request. */
const MAX_BATCH = 100
export const TOKEN_HEADER = 'X-Upload-Token'

const KeyQuery = v.object({ key: v.string('key is required') })
const BatchQuery = v.object({
  key: v.string('key is required'),
  parts: v.pipe(
    v.string('parts is required'),
    v.regex(/^\d{1,5}(,\d{1,5})*$/, 'must be a comma-separated list of part numbers'),
    v.transform((s) => s.split(',').map(Number)),
    v.maxLength(MAX_BATCH, `must name at most ${MAX_BATCH} parts`),
  ),
})
const CompleteBody = v.object({
  parts: v.pipe(
    v.array(
      v.object({
        partNumber: v.pipe(v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(MAX_PARTS)),
        // Quoted or not (S3 quotes them, RGW does not); hex MD5s on AWS, RGW and R2.
        etag: v.pipe(v.string('must be a string'), v.regex(/^"?[A-Za-z0-9-]{1,128}"?$/, 'must be an ETag')),
      }),
    ),
    v.minLength(1, 'must name at least one part'),
    v.maxLength(MAX_PARTS, `must name at most ${MAX_PARTS} parts`),
  ),
})
const PartParam = v.object({
  uploadId: v.string(),
  n: v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a part number'), v.transform(Number)),
})

function noSuchUpload(): ApiError {
  return new ApiError(404, 'no_such_upload', 'No such upload for this key (finished, aborted, expired or not yours)')
}

const bareEtag = (etag: string) => unquoteEtag(etag).toLowerCase()

/** The upload this request may act on: the token must verify and name this key and uploadId. */
async function grantFor(c: Context<AppEnv>, relativeKey: string): Promise<{ grant: UploadGrant; plan: PartPlan }> {
  const { config, user } = c.var
  const key = resolveKey(user.root, relativeKey)
  const token = c.req.header(TOKEN_HEADER)
  if (!token) throw new ApiError(400, 'invalid_request', `The ${TOKEN_HEADER} header is required`)
  const grant = await verifyUploadToken(config.s3.secretAccessKey, token, Date.now())
  if (!grant || grant.key !== key || grant.uploadId !== c.req.param('uploadId')) throw noSuchUpload()
  return {
    grant,
    plan: { size: grant.size, partSize: grant.partSize, partCount: Math.ceil(grant.size / grant.partSize) },
  }
}

/** S3's "that upload is gone" (RGW says NoSuchKey after an abort) becomes our 404. */
async function onUpload<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (err) {
    if (err instanceof S3Error && (err.s3Code === 'NoSuchUpload' || err.s3Code === 'NoSuchKey')) throw noSuchUpload()
    throw err
  }
}

/** Signed PUT URLs for parts `numbers` of the upload, each for that part's exact size, signed together. */
async function partUrls(c: Context<AppEnv>, grant: UploadGrant, plan: PartPlan, numbers: number[], now: Date) {
  for (const n of numbers) {
    if (n < 1 || n > plan.partCount) {
      throw new ApiError(400, 'invalid_part', `This upload has parts 1 to ${plan.partCount}, not ${n}`)
    }
  }
  const expiresSeconds = Math.max(
    1,
    Math.min(c.var.config.upload.ttlSeconds, grant.expires - Math.floor(now.getTime() / 1000)),
  )
  const expiresAt = new Date(now.getTime() + expiresSeconds * 1000).toISOString()
  const parts = numbers.map((n) => ({ partNumber: n, size: partLength(plan, n) }))
  const presigner = await createPresigner(c.var.config.s3, now)
  const urls = await presigner.signAll(
    parts.map(({ partNumber, size }) => ({
      method: 'PUT',
      key: grant.key,
      expiresSeconds,
      query: { partNumber: String(partNumber), uploadId: grant.uploadId },
      headers: { 'content-length': String(size) },
    })),
  )
  return parts.map(({ partNumber, size }, i) => ({
    partNumber,
    size,
    url: urls[i],
    headers: { 'content-length': String(size) },
    expiresAt,
  }))
}

export const multipartRoutes = new Hono<AppEnv>()
  .post('/', validate('json', UploadRequest), async (c) => {
    const { config, user } = c.var
    const { name, type, size } = c.req.valid('json')
    checkUpload(type, size, config.upload)
    if (size < 1) throw new ApiError(400, 'invalid_request', 'size: an empty file needs no multipart upload')
    const plan = planParts(size, config.multipart.partBytes)
    const now = new Date()
    const relative = newObjectName(name, now)
    const key = resolveKey(user.root, relative)
    const expires = Math.floor(now.getTime() / 1000) + config.multipart.ttlSeconds
    await ledgerFor(c)?.reserve(key, size, type, new Date(expires * 1000))
    let uploadId: string
    try {
      uploadId = await createMultipartUpload(config.s3, key, type)
    } catch (err) {
      await ledgerFor(c)
        ?.cancel(key)
        .catch(() => {})
      throw err
    }
    const token = await signUploadToken(config.s3.secretAccessKey, {
      key,
      uploadId,
      size,
      partSize: plan.partSize,
      type,
      expires,
    })
    audit('multipart_ticket', { user: user.id, key: relative, size, requestId: c.var.requestId })
    return c.json({
      key: relative,
      uploadId,
      token,
      size,
      partSize: plan.partSize,
      partCount: plan.partCount,
      expiresAt: new Date(expires * 1000).toISOString(),
    })
  })
  // One part URL, signed when the browser is about to send that part.
  .get('/:uploadId/parts/:n', validate('param', PartParam), validate('query', KeyQuery), async (c) => {
    const { grant, plan } = await grantFor(c, c.req.valid('query').key)
    const [part] = await partUrls(c, grant, plan, [c.req.valid('param').n], new Date())
    return c.json(part)
  })
  // A batch of part URLs: ?parts=1,2,3 (at most MAX_BATCH).
  .get('/:uploadId/part-urls', validate('query', BatchQuery), async (c) => {
    const { key, parts } = c.req.valid('query')
    const { grant, plan } = await grantFor(c, key)
    const now = new Date()
    return c.json({ parts: await partUrls(c, grant, plan, parts, now) })
  })
  // What S3 already holds, to resume after a reload or a dropped connection.
  .get('/:uploadId/parts', validate('query', KeyQuery), async (c) => {
    const { grant, plan } = await grantFor(c, c.req.valid('query').key)
    const parts = await onUpload(listParts(c.var.config.s3, grant.key, grant.uploadId))
    return c.json({ partSize: plan.partSize, partCount: plan.partCount, parts })
  })
  .post('/:uploadId/complete', validate('query', KeyQuery), validate('json', CompleteBody), async (c) => {
    const { grant, plan } = await grantFor(c, c.req.valid('query').key)
    const sent = c.req.valid('json').parts
    if (sent.length !== plan.partCount || sent.some((p, i) => p.partNumber !== i + 1)) {
      throw new ApiError(400, 'invalid_parts', `Send every part, 1 to ${plan.partCount}, once and in order`)
    }
    // Checked against what S3 holds, so the object is exactly the declared size and a wrong ETag is a 400.
    const held = new Map(
      (await onUpload(listParts(c.var.config.s3, grant.key, grant.uploadId))).map((p) => [p.partNumber, p]),
    )
    for (const p of sent) {
      const part = held.get(p.partNumber)
      if (!part) throw new ApiError(400, 'invalid_parts', `Part ${p.partNumber} has not been uploaded`)
      if (part.size !== partLength(plan, p.partNumber)) {
        throw new ApiError(
          400,
          'invalid_parts',
          `Part ${p.partNumber} is ${part.size} bytes, not ${partLength(plan, p.partNumber)}`,
        )
      }
      if (bareEtag(part.etag) !== bareEtag(p.etag)) {
        throw new ApiError(400, 'invalid_parts', `Part ${p.partNumber}'s ETag does not match what the storage holds`)
      }
    }
    try {
      await onUpload(
        completeMultipartUpload(
          c.var.config.s3,
          grant.key,
          grant.uploadId,
          sent.map((p) => ({ ...p, etag: bareEtag(p.etag) })),
        ),
      )
    } catch (err) {
      // InvalidPart, InvalidPartOrder, EntityTooSmall: the parts do not make a valid object.
      if (err instanceof S3Error && err.status === 400) {
        throw new ApiError(400, 'invalid_parts', `The storage refused the parts: ${err.s3Code}`)
      }
      throw err
    }
    // The object is whole: count it now. Should the ledger not manage, the reservation stays and its
    // alarm counts the object later, so the upload still answers success.
    const relative = c.req.valid('query').key
    const confirmed = await ledgerFor(c)
      ?.confirm(grant.key)
      .catch((err: unknown) => {
        console.error(JSON.stringify({ ledger: 'confirm_deferred', key: relative, error: String(err) }))
        return undefined
      })
    audit('confirm', { user: c.var.user.id, key: relative, size: grant.size, requestId: c.var.requestId })
    return c.json({ key: relative, size: grant.size, ...(confirmed && { usage: confirmed.usage }) })
  })
  .delete('/:uploadId', validate('query', KeyQuery), async (c) => {
    const { grant } = await grantFor(c, c.req.valid('query').key)
    await onUpload(abortMultipartUpload(c.var.config.s3, grant.key, grant.uploadId))
    await ledgerFor(c)?.cancel(grant.key)
    return c.body(null, 204)
  })
