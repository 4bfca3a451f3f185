// /api/multipart: big files straight from the browser to the bucket in parts. The server picks the
// key under the caller's root, creates the upload, and returns a signed upload token (see
// uploads/upload-token.ts); every later step needs that token for exactly this key and uploadId, so
// nobody can sign parts, list, complete or abort an upload that is not theirs. The steps themselves
// (exact part lengths, completion checked against S3) are uploads/multipart-upload.ts's; the ledger
// reserves the size at creation, counts the file at completion and lets it go on abort.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { completeBody } from '../uploads/part-list'
import { planParts } from '../uploads/part-plan'
import { abortUpload, completeUpload, heldParts, openUpload, signParts, startUpload } from '../uploads/multipart-upload'
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
const CompleteBody = completeBody('partNumber', 'etag')
const PartParam = v.object({
  uploadId: v.string(),
  n: v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a part number'), v.transform(Number)),
})

/** The upload this request may act on: the token header must verify and name this key and uploadId. */
function uploadOf(c: Context<AppEnv>, relativeKey: string) {
  const token = c.req.header(TOKEN_HEADER)
  if (!token) throw new ApiError(400, 'invalid_request', `The ${TOKEN_HEADER} header is required`)
  return openUpload(c.var.config, c.var.user.root, relativeKey, token, c.req.param('uploadId') ?? '')
}

/** Part URLs as this API answers them: with the one header the browser must send as signed. */
async function partUrls(c: Context<AppEnv>, key: string, numbers: number[]) {
  const { grant, plan } = await uploadOf(c, key)
  const parts = await signParts(c.var.config, grant, plan, numbers, new Date())
  return parts.map((p) => ({ ...p, headers: { 'content-length': String(p.size) } }))
}

export const multipartRoutes = new Hono<AppEnv>()
  .post('/', validate('json', UploadRequest), async (c) => {
    const { config, user } = c.var
    const { name, type, size } = c.req.valid('json')
    checkUpload(type, size, config.upload)
    if (size < 1) throw new ApiError(400, 'invalid_request', 'size: an empty file needs no multipart upload')
    const plan = planParts(size, config.multipart.partBytes)
    const started = await startUpload(config, user.root, { name, type }, plan, new Date(), ledgerFor(c))
    const { relativeKey, grant, token } = started
    audit('multipart_ticket', { user: user.id, key: relativeKey, size, requestId: c.var.requestId })
    return c.json({
      key: relativeKey,
      uploadId: grant.uploadId,
      token,
      size,
      partSize: plan.partSize,
      partCount: plan.partCount,
      expiresAt: new Date(grant.expires * 1000).toISOString(),
    })
  })
  // One part URL, signed when the browser is about to send that part.
  .get('/:uploadId/parts/:n', validate('param', PartParam), validate('query', KeyQuery), async (c) => {
    const [part] = await partUrls(c, c.req.valid('query').key, [c.req.valid('param').n])
    return c.json(part)
  })
  // A batch of part URLs: ?parts=1,2,3 (at most MAX_BATCH).
  .get('/:uploadId/part-urls', validate('query', BatchQuery), async (c) => {
    const { key, parts } = c.req.valid('query')
    return c.json({ parts: await partUrls(c, key, parts) })
  })
  // What S3 already holds, to resume after a reload or a dropped connection.
  .get('/:uploadId/parts', validate('query', KeyQuery), async (c) => {
    const { grant, plan } = await uploadOf(c, c.req.valid('query').key)
    const parts = await heldParts(c.var.config, grant)
    return c.json({ partSize: plan.partSize, partCount: plan.partCount, parts })
  })
  .post('/:uploadId/complete', validate('query', KeyQuery), validate('json', CompleteBody), async (c) => {
    const relative = c.req.valid('query').key
    const { grant, plan } = await uploadOf(c, relative)
    const ledger = ledgerFor(c)
    const confirm = ledger && ledger.confirm.bind(ledger)
    const { file, usage } = await completeUpload(c.var.config, grant, plan, c.req.valid('json').parts, confirm)
    audit('confirm', { user: c.var.user.id, key: relative, size: grant.size, requestId: c.var.requestId })
    c.var.uploadCompleted(file)
    return c.json({ key: relative, size: grant.size, ...(usage !== undefined && { usage }) })
  })
  .delete('/:uploadId', validate('query', KeyQuery), async (c) => {
    const { grant } = await uploadOf(c, c.req.valid('query').key)
    await abortUpload(c.var.config, grant)
    await ledgerFor(c)?.cancel(grant.key)
    return c.body(null, 204)
  })
