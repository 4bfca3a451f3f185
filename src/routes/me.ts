// Who the caller is and what they may upload; the key prefix stays on the server. The page takes
// every rule it applies from here (static/js/limits.js), so none is written twice.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { ledgerFor } from '../ledger/client'
import { inlineExtensions } from '../downloads/content-disposition'

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { upload, multipart, download, share } = c.var.config
  // Bytes and files held or reserved; null where the deployment keeps no ledger.
  const usage = (await ledgerFor(c)?.usage()) ?? null
  return c.json({
    id: c.var.user.id,
    limits: {
      maxBytes: upload.maxBytes,
      allowedTypes: upload.allowedTypes,
      // Files of at least this size go through /api/multipart, in parts of at least partBytes
      // (each upload's own partSize is in its create answer; it grows for very large files).
      multipartThreshold: multipart.thresholdBytes,
      partBytes: multipart.partBytes,
      // The largest preview POST /api/uploads/preview signs; the page makes previews only when given it.
      thumbnailMaxBytes: upload.thumbnailMaxBytes,
      // Downloads of names with these extensions are served inline (the page's Show of an original
      // without a preview); all else is an attachment.
      inlineExtensions: inlineExtensions(download.inlineTypes),
      // The longest a share link may stay valid (the Share dialog offers nothing longer); null when
      // the deployment has no share links (they need the SHARES and LEDGER bindings).
      shareMaxSeconds: c.env.SHARES && c.env.LEDGER ? share.maxTtlSeconds : null,
    },
    usage,
  })
})
