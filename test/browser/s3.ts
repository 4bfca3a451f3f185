// Direct access to the test RGW from Node, bypassing the app: a bucket per app, and a check of what
// really is (or is not) stored, with its bytes (scripts/lib/s3-admin.mjs with the test user's keys).
import { createHash } from 'node:crypto'
import { S3Bucket } from '../../scripts/lib/s3-admin.mjs'
import { TEST_S3 } from '../setup/test-values'

/** One bucket on the test RGW, as the test user. */
export class TestBucket extends S3Bucket {
  constructor(endpoint: string, name: string) {
    super({ endpoint, bucket: name, credentials: TEST_S3.credentials, region: TEST_S3.region })
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
