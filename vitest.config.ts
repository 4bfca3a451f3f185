// Two projects, one `vitest run`: the app's tests inside workerd through @cloudflare/vitest-plugin,
// against the servers test/setup/global.ts starts (their addresses reach the Worker as bindings);
// and a few Node-side checks (test/node) that need processes, which workerd cannot spawn.
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { TEST_AUTH, TEST_S3, TEST_WEBHOOK } from './test/setup/test-values.ts'

export default defineConfig({
  test: {
    // The audit trail (one JSON line per ticket, download, delete) would drown the report.
    onConsoleLog: (log) => !log.startsWith('{"audit"'),
    projects: [
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: {
              bindings: {
                S3_ENDPOINT: inject('rgwEndpoint') || 'http://127.0.0.1:9',
                S3_BUCKET: TEST_S3.bucket,
                S3_REGION: TEST_S3.region,
                S3_ACCESS_KEY_ID: TEST_S3.credentials.accessKeyId,
                S3_SECRET_ACCESS_KEY: TEST_S3.credentials.secretAccessKey,
                UPLOAD_MAX_BYTES: '1048576',
                AUTH_JWT_SECRET: TEST_AUTH.jwtSecret,
                AUTH_JWKS_URL: inject('jwksUrl'),
                AUTH_ISSUER: TEST_AUTH.issuer,
                AUTH_AUDIENCE: TEST_AUTH.audience,
                DEV_SIGNIN: 'true',
                DEV_SESSION_SECRET: TEST_AUTH.devSessionSecret,
                TEST_RGW_SKIP_REASON: inject('rgwSkipReason'),
                TEST_JWKS_PRIVATE_KEY: inject('jwksPrivateKey'),
                TEST_BLACKHOLE_URL: inject('blackholeUrl'),
                WEBHOOK_URL: `${inject('webhookReceiverUrl')}/hook`,
                WEBHOOK_SECRET: TEST_WEBHOOK.secret,
                TEST_WEBHOOK_RECEIVER_URL: inject('webhookReceiverUrl'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          globalSetup: ['./test/setup/global.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/node/**'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
})
