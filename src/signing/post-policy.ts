// The browser POST upload ticket: a SigV4-signed POST policy that pins the exact key, bucket,
// Content-Type, size and success status, valid until `expiresAt`. aws4fetch has no POST policy
// support, so this follows the spec directly; the string to sign is the base64 policy itself.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import type { Config } from '../config'
import { bucketUrl } from '../s3/urls'
import { base64FromUtf8 } from '../base64'
import { ALGORITHM, amzDate, credentialScope, hmacHex, signingKey } from './sigv4'

export type PostTicketRequest = {
  key: string
  contentType: string
  /** The exact size, or the range a file of unknown size must fall in (Uppy's POST uploads send none). */
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

/** signature = hex(HMAC(kSigning, base64 policy)) */
export async function signPolicy(secret: string, date: string, region: string, policyBase64: string): Promise<string> {
  return hmacHex(await signingKey(secret, date, region, 's3'), policyBase64)
}

export async function createPostTicket(s3: Config['s3'], req: PostTicketRequest): Promise<PostTicket> {
  const datetime = amzDate(req.now)
  const date = datetime.slice(0, 8)
  const fields: Record<string, string> = {
    key: req.key,
    'Content-Type': req.contentType,
    success_action_status: '201',
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': `${s3.accessKeyId}/${credentialScope(date, s3.region)}`,
    'x-amz-date': datetime,
  }
  const policy = {
    expiration: req.expiresAt.toISOString(),
    conditions: [
      { bucket: s3.bucket },
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      // Exactly the declared size: the ticket cannot carry a bigger (or smaller) file.
      typeof req.size === 'number'
        ? ['content-length-range', req.size, req.size]
        : ['content-length-range', req.size.min, req.size.max],
    ],
  }
  const policyBase64 = base64FromUtf8(JSON.stringify(policy))
  fields.policy = policyBase64
  fields['x-amz-signature'] = await signPolicy(s3.secretAccessKey, date, s3.region, policyBase64)
  return { method: 'POST', url: bucketUrl(s3), fields }
}
