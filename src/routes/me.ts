// Who the caller is and what they may upload; the key prefix stays on the server.
import { Hono } from 'hono'
import type { AppEnv } from '../env'

export const meRoutes = new Hono<AppEnv>().get('/', (c) => {
  const { upload } = c.var.config
  return c.json({
    id: c.var.user.id,
    limits: { maxBytes: upload.maxBytes, allowedTypes: upload.allowedTypes },
  })
})
