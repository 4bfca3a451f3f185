// Fixed values shared by the Node-side setup and the tests in workerd: the test bucket, the
// throwaway RGW user's credentials and the test-only auth secrets. Made up for tests; not secrets.
export const TEST_S3 = {
  bucket: 'bucketgate-test',
  region: 'us-east-1',
  credentials: {
    accessKeyId: 'bucketgate-test',
    secretAccessKey: 'bucketgate-test-secret-0123456789',
  },
  corsOrigins: ['http://localhost:8787', 'http://127.0.0.1:8787'],
}

export const TEST_AUTH = {
  jwtSecret: 'test-only-hs256-secret-0123456789abcdef',
  issuer: 'https://issuer.test',
  audience: 'bucketgate-test',
  devSessionSecret: 'test-only-dev-session-secret-0123456789',
}

/** The webhook receiver's signing secret, in the Standard Webhooks `whsec_<base64>` form. */
export const TEST_WEBHOOK = {
  secret: 'whsec_dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0LTAxMjM0NTY3ODk=',
}

/** What the test webhook receiver reports per webhook-id (GET /events?user=U). */
export type ReceivedEvent = {
  id: string
  type: string
  data: Record<string, unknown>
  /** Attempts answered 2xx (the ledger should stop after the first). */
  accepted: number
  refused: number
  /** Attempts whose signature did not verify. */
  invalid: number
}
