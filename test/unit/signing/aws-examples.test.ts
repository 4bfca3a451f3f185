// The signer reproduces AWS's own published SigV4 examples exactly.
import { describe, expect, it } from 'vitest'
import { presignUrl } from '../../../src/signing/presign'
import { signPolicy } from '../../../src/signing/post-policy'
import { exampleCredentials, postPolicyExample, presignedGetExample } from '../../fixtures/aws-examples'
import type { Config } from '../../../src/config'

const exampleS3: Config['s3'] = {
  endpoint: new URL('https://s3.amazonaws.com'),
  region: presignedGetExample.region,
  bucket: 'examplebucket',
  ...exampleCredentials,
  pathStyle: false,
  timeoutMs: 1000,
}

function fromAmzDate(d: string): Date {
  return new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  )
}

describe('AWS published examples', () => {
  it('the presigned GET example signs to the URL AWS documents', async () => {
    const url = await presignUrl(exampleS3, {
      method: 'GET',
      key: presignedGetExample.key,
      expiresSeconds: presignedGetExample.expiresSeconds,
      now: fromAmzDate(presignedGetExample.datetime),
    })
    const got = new URL(url)
    const want = new URL(presignedGetExample.url)
    expect(got.origin + got.pathname).toBe(want.origin + want.pathname)
    expect(Object.fromEntries(got.searchParams)).toEqual(Object.fromEntries(want.searchParams))
    expect(got.searchParams.get('X-Amz-Signature')).toBe(presignedGetExample.signature)
  })

  it('the browser POST policy example signs to the signature AWS documents', async () => {
    const signature = await signPolicy(
      exampleCredentials.secretAccessKey,
      postPolicyExample.date,
      postPolicyExample.region,
      postPolicyExample.policyBase64,
    )
    expect(signature).toBe(postPolicyExample.signature)
  })

  it('a different secret does not reproduce the example', async () => {
    const signature = await signPolicy(
      'not-the-secret',
      postPolicyExample.date,
      postPolicyExample.region,
      postPolicyExample.policyBase64,
    )
    expect(signature).not.toBe(postPolicyExample.signature)
  })
})
