// Who the caller is and what they may upload; the key prefix stays on the server.
import { Hono } from 'hono'
import type { AppEnv } from '../env'

export const meRoutes = new Hono<AppEnv>().get('/', (c) => {
  const { upload, multipart } = c.var.config
  return c.json({
    id: c.var.user.id,
    // multipartThreshold: files of at least this size go through /api/multipart.
    limits: {
      maxBytes: upload.maxBytes,
      allowedTypes: upload.allowedTypes,
      multipartThreshold: multipart.thresholdBytes,
    },
  })
})
