// Who the caller is and what they may upload; the key prefix stays on the server.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { ledgerFor } from '../ledger/client'

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { upload, multipart } = c.var.config
  // Bytes and files held or reserved; null where the deployment keeps no ledger.
  const usage = (await ledgerFor(c.env, c.var.config, c.var.user)?.usage()) ?? null
  return c.json({
    id: c.var.user.id,
    // multipartThreshold: files of at least this size go through /api/multipart.
    limits: {
      maxBytes: upload.maxBytes,
      allowedTypes: upload.allowedTypes,
      multipartThreshold: multipart.thresholdBytes,
    },
    usage,
  })
})
