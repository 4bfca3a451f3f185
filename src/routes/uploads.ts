// POST /api/uploads: an upload ticket for one file, a signed browser POST policy or (UPLOAD_MODE=put)
// a presigned PUT (uploads/ticket.ts). The server picks the key under the caller's root; either way
// the signature pins key, type, exact size and expiry.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { issueTicket } from '../uploads/ticket'
import { UploadRequest } from '../uploads/upload-request'
import { validate } from '../util/validate'

export const uploadRoutes = new Hono<AppEnv>().post('/', validate('json', UploadRequest), async (c) => {
  const { config, user } = c.var
  const ticket = await issueTicket(config, user.root, c.req.valid('json'), new Date())
  return c.json({ key: ticket.relativeKey, expiresAt: ticket.expiresAt.toISOString(), upload: ticket.upload })
})
