// /api/uppy: the Companion S3 routes @uppy/aws-s3 calls (`companionEndpoint` in v6, `endpoint` in
// v5), answered by bucketgate's own rules. The client proposes only a file name; the server picks the
// key under the caller's root, takes the size from `metadata.size`, plans parts the way Uppy cuts
// them, and hands out its signed upload token as Uppy's `uploadId`, so every later call is checked
// against that token and the caller's root, and Golden Retriever can resume with nothing stored.
// The ledger reserves, counts and releases these uploads exactly as it does the API's own.
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { abortUpload, completeUpload, heldParts, openUpload, signParts, startUpload } from '../uploads/multipart-upload'
import { issueTicket } from '../uploads/ticket'
import { checkUpload } from '../uploads/upload-rules'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'
import { uppyPartPlan } from '../uppy/part-size'
import { BatchQuery, CompleteBody, CreateBody, KeyQuery, ParamsQuery, PartParam } from '../uppy/requests'

/** The upload this call may act on: Uppy's uploadId is the token, `key` the relative key it was issued for. */
function uploadOf(c: Context<AppEnv>, key: string) {
  return openUpload(c.var.config, c.var.user.root, key, c.req.param('uploadId') ?? '')
}

/** Where the finished file is fetched: this API's download route, wherever the API is mounted. */
function fileLocation(c: Context<AppEnv>, relativeKey: string): string {
  const path = c.req.path
  const apiBase = path.slice(0, path.lastIndexOf('/uppy/s3/'))
  const encoded = relativeKey.split('/').map(encodeURIComponent).join('/')
  return new URL(`${apiBase}/files/${encoded}`, c.req.url).href
}

export const uppyRoutes = new Hono<AppEnv>()
  // One request, one file: a POST policy (or, UPLOAD_MODE=put, a presigned PUT).
  .get('/s3/params', validate('query', ParamsQuery), async (c) => {
    const { config, user } = c.var
    const { filename, type, 'metadata[size]': size } = c.req.valid('query')
    const ledger = ledgerFor(c)
    const reserve = ledger && ledger.reserve.bind(ledger)
    const ticket = await issueTicket(config, user.root, { name: filename, type, size }, new Date(), reserve)
    audit('ticket', { user: user.id, key: ticket.relativeKey, size, requestId: c.var.requestId })
    const { upload } = ticket
    const expires = config.upload.ttlSeconds
    if (upload.method === 'POST') return c.json({ method: 'POST', url: upload.url, fields: upload.fields, expires })
    // The browser sets Content-Length itself and refuses a page that tries to.
    const { 'content-length': _, ...headers } = upload.headers
    return c.json({ method: 'PUT', url: upload.url, headers, expires })
  })
  .post('/s3/multipart', validate('json', CreateBody), async (c) => {
    const { config, user } = c.var
    const { filename, type, metadata } = c.req.valid('json')
    const size = metadata.size
    if (size === undefined || size < 1) {
      throw new ApiError(
        400,
        'size_required',
        'metadata.size is required for a multipart upload (set it with uppy.setFileMeta(file.id, { size: file.size }))',
      )
    }
    checkUpload(type, size, config.upload)
    const plan = uppyPartPlan(size)
    const started = await startUpload(config, user.root, { name: filename, type }, plan, new Date(), ledgerFor(c))
    audit('multipart_ticket', { user: user.id, key: started.relativeKey, size, requestId: c.var.requestId })
    return c.json({ key: started.relativeKey, uploadId: started.token })
  })
  .get('/s3/multipart/:uploadId/batch', validate('query', BatchQuery), async (c) => {
    const { key, partNumbers } = c.req.valid('query')
    const { grant, plan } = await uploadOf(c, key)
    const parts = await signParts(c.var.config, grant, plan, partNumbers, new Date())
    return c.json({ presignedUrls: Object.fromEntries(parts.map((p) => [p.partNumber, p.url])) })
  })
  .get('/s3/multipart/:uploadId/:partNumber', validate('param', PartParam), validate('query', KeyQuery), async (c) => {
    const { grant, plan } = await uploadOf(c, c.req.valid('query').key)
    const now = new Date()
    const [part] = await signParts(c.var.config, grant, plan, [c.req.valid('param').partNumber], now)
    return c.json({ url: part.url, expires: Math.round((Date.parse(part.expiresAt) - now.getTime()) / 1000) })
  })
  // What S3 already holds: Uppy resumes from this after a pause, a retry or a reload.
  .get('/s3/multipart/:uploadId', validate('query', KeyQuery), async (c) => {
    const { grant } = await uploadOf(c, c.req.valid('query').key)
    const parts = await heldParts(c.var.config, grant)
    return c.json(parts.map((p) => ({ PartNumber: p.partNumber, Size: p.size, ETag: p.etag })))
  })
  .post('/s3/multipart/:uploadId/complete', validate('query', KeyQuery), validate('json', CompleteBody), async (c) => {
    const key = c.req.valid('query').key
    const { grant, plan } = await uploadOf(c, key)
    const sent = c.req.valid('json').parts.map((p) => ({ partNumber: p.PartNumber, etag: p.ETag }))
    const ledger = ledgerFor(c)
    const confirm = ledger && ledger.confirm.bind(ledger)
    const { file } = await completeUpload(c.var.config, grant, plan, sent, confirm)
    audit('confirm', { user: c.var.user.id, key, size: grant.size, requestId: c.var.requestId })
    c.var.uploadCompleted(file)
    return c.json({ location: fileLocation(c, key), key })
  })
  .delete('/s3/multipart/:uploadId', validate('query', KeyQuery), async (c) => {
    const { grant } = await uploadOf(c, c.req.valid('query').key)
    await abortUpload(c.var.config, grant)
    await ledgerFor(c)?.cancel(grant.key)
    return c.json({})
  })
