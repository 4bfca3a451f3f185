// The browser POST upload ticket: a SigV4-signed POST policy (signing/post-policy.ts) that pins the
// exact key, Content-Type, size (or, for a file of unknown size, a range) and success status, valid
// until `expiresAt`.
import type { Config } from '../config'
import { bucketUrl } from '../s3/urls'
import { signPostPolicy } from '../signing/post-policy'

export type PostTicketRequest = {
  key: string
  contentType: string
  /** The exact size, or the range a file of unknown size must fall in (Uppy sends no size by default). */
  size: number | { min: number; max: number }
  now: Date
  expiresAt: Date
}

export type PostTicket = {
  method: 'POST'
  url: string
  /** Form fields to send, in this order, before the file (which goes last, as `file`). */
  fields: Record<string, string>
}

export async function createPostTicket(s3: Config['s3'], req: PostTicketRequest): Promise<PostTicket> {
  const { min, max } = typeof req.size === 'number' ? { min: req.size, max: req.size } : req.size
  const fields = await signPostPolicy(s3, {
    now: req.now,
    expiresAt: req.expiresAt,
    fields: { key: req.key, 'Content-Type': req.contentType, success_action_status: '201' },
    // Exactly the declared size: the ticket cannot carry a bigger (or smaller) file.
    conditions: [['content-length-range', min, max]],
  })
  return { method: 'POST', url: bucketUrl(s3), fields }
}
