// Starts the real app for one test file: `wrangler dev` (or, self-hosted, `npm start`: plain workerd
// over `npm run build`'s dist/) on a free port with its own fresh bucket on the test RGW, whose CORS
// allows exactly this app's origin. Settings come only from `vars` (never from a developer's
// .dev.vars or .env), so every run sees the same configuration.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { startSelfHosted } from '../../scripts/lib/self-hosted.mjs'
import { startWranglerDev } from '../../scripts/lib/wrangler-dev.mjs'
import { encodeSubject } from '../../src/keys'
import { TEST_AUTH, TEST_S3 } from '../setup/test-values'
import { TestBucket } from './s3'

/** The test upload limit: small, so "too large" files are cheap to make. */
export const TEST_MAX_BYTES = 1024 * 1024

export type App = {
  /** The page's origin, e.g. http://127.0.0.1:41234 (the only origin the bucket's CORS allows). */
  url: string
  bucket: TestBucket
  /** The settings the Worker runs with, after overrides. */
  vars: Record<string, string>
  /** The full key prefix of a dev sign-in name (names are lower-cased and [a-z0-9._-]). */
  rootOf(user: string): string
  /** The server's output so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** wrangler: `wrangler dev`; workerd: `npm start` after `npm run build`, as self-hosted. */
type Server = 'wrangler' | 'workerd'

/**
 * Starts bucketgate with a fresh bucket. `vars` override or add Worker settings, e.g.
 * `{ UPLOAD_MODE: 'put' }` or `{ UPLOAD_MAX_BYTES: '5000' }`.
 */
export async function startApp({
  vars = {},
  server = 'wrangler',
}: { vars?: Record<string, string>; server?: Server } = {}): Promise<App> {
  const endpoint = inject('rgwEndpoint')
  if (!endpoint) throw new Error('no RGW endpoint: guard the suite with describeBrowser (see browser.ts)')
  // A free port can be taken by another test run before wrangler binds it: then once more.
  try {
    return await launch(endpoint, vars, server)
  } catch (err) {
    if (!/EADDRINUSE|address already in use/i.test(String(err))) throw err
    return launch(endpoint, vars, server)
  }
}

async function launch(endpoint: string, overrides: Record<string, string>, server: Server): Promise<App> {
  const bucket = new TestBucket(endpoint, `bg-browser-${randomBytes(5).toString('hex')}`)
  const vars: Record<string, string> = {
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket.name,
    S3_REGION: TEST_S3.region,
    S3_ACCESS_KEY_ID: TEST_S3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: TEST_S3.credentials.secretAccessKey,
    DEV_SIGNIN: 'true',
    DEV_SESSION_SECRET: TEST_AUTH.devSessionSecret,
    UPLOAD_MAX_BYTES: String(TEST_MAX_BYTES),
    ...overrides,
  }
  // The page's origin is known only once the server has its port, so the bucket (and its CORS) comes
  // after; the ready check asks /api/auth, which needs no bucket.
  // Durable Object state (the usage ledger) starts empty with the fresh bucket, not from a past run
  // (npm start keeps its state in a fresh directory anyway).
  const options = { vars, readyPath: '/api/auth', isReady: (status: number) => status === 200 }
  const worker =
    server === 'workerd' ? await startSelfHosted(options) : await startWranglerDev({ ...options, freshState: true })
  try {
    await bucket.create([worker.url])
  } catch (err) {
    await worker.stop()
    throw err
  }
  return {
    url: worker.url,
    bucket,
    vars,
    rootOf: (user) => `${vars.USER_PREFIX ?? 'users/'}${encodeSubject(user.toLowerCase())}/`,
    output: worker.output,
    stop: async () => {
      await worker.stop()
      await bucket.destroy()
    },
  }
}
