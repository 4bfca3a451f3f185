// The PUT upload ticket (UPLOAD_MODE=put, for stores without browser POST uploads such as R2): a
// presigned PUT whose signature covers the exact Content-Length, the Content-Type and, where the
// store honours it, `If-None-Match: *`, so S3 refuses another size, another type or an overwrite.
import type { Config } from '../config'
import { presignUrl } from '../signing/presign'

export type PutTicketRequest = {
  key: string
  contentType: string
  size: number
  now: Date
  expiresSeconds: number
  /** Sign `If-None-Match: *` (AWS since 2024, R2, Ceph RGW answer 412 when the key exists). */
  ifNoneMatch: boolean
}

export type PutTicket = {
  method: 'PUT'
  url: string
  /** Send each with exactly this value; browsers set Content-Length themselves from the body. */
  headers: Record<string, string>
}

export async function createPutTicket(s3: Config['s3'], req: PutTicketRequest): Promise<PutTicket> {
  const headers: Record<string, string> = {
    'content-length': String(req.size),
    'content-type': req.contentType,
  }
  if (req.ifNoneMatch) headers['if-none-match'] = '*'
  const url = await presignUrl(s3, {
    method: 'PUT',
    key: req.key,
    expiresSeconds: req.expiresSeconds,
    now: req.now,
    headers,
  })
  return { method: 'PUT', url, headers }
}
