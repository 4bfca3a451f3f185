// SigV4 for browser POST uploads: the policy document, base64, signed with the derived key. aws4fetch
// has no POST policy support, so this follows the spec directly; the string to sign is the base64
// policy itself. What the policy pins is the caller's choice (uploads/post-ticket.ts).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import type { Config } from '../config'
import { base64FromUtf8 } from '../util/base64'
import { ALGORITHM, amzDate, credentialScope, hmacHex, signingKey } from './sigv4'

/** A condition beyond the exact-match fields, e.g. `['content-length-range', min, max]`. */
export type PolicyCondition = [string, ...(string | number)[]]

/** signature = hex(HMAC(kSigning, base64 policy)) */
export async function signPolicy(secret: string, date: string, region: string, policyBase64: string): Promise<string> {
  return hmacHex(await signingKey(secret, date, region, 's3'), policyBase64)
}

/**
 * The form fields for a POST to `s3`'s bucket: `fields`, the SigV4 fields, the policy (the bucket,
 * every field exactly, and `conditions`) and its signature, in the order a form must send them.
 */
export async function signPostPolicy(
  s3: Config['s3'],
  req: { now: Date; expiresAt: Date; fields: Record<string, string>; conditions: PolicyCondition[] },
): Promise<Record<string, string>> {
  const datetime = amzDate(req.now)
  const date = datetime.slice(0, 8)
  const fields: Record<string, string> = {
    ...req.fields,
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': `${s3.accessKeyId}/${credentialScope(date, s3.region)}`,
    'x-amz-date': datetime,
  }
  const policy = {
    expiration: req.expiresAt.toISOString(),
    conditions: [
      { bucket: s3.bucket },
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      ...req.conditions,
    ],
  }
  const policyBase64 = base64FromUtf8(JSON.stringify(policy))
  fields.policy = policyBase64
  fields['x-amz-signature'] = await signPolicy(s3.secretAccessKey, date, s3.region, policyBase64)
  return fields
}
