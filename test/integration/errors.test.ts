// When S3 says no, the API says 502 with S3's code; when S3 says nothing, 504. Never a bare 500.
import { expect, it } from 'vitest'
import { api, describeS3, errorOf, testEnv } from '../helpers'

describeS3('S3 failures', () => {
  it('wrong S3 credentials → 502 naming the S3 error code', async () => {
    const res = await api('/api/files', { user: 'eve' }, { ...testEnv, S3_SECRET_ACCESS_KEY: 'wrong-secret' })
    const err = await errorOf(res)
    expect(err).toMatchObject({ status: 502, code: 's3_error' })
    expect(err.message).toMatch(/SignatureDoesNotMatch|AccessDenied|InvalidAccessKeyId/)
  })

  it('a missing bucket → 502 NoSuchBucket', async () => {
    const res = await api('/api/files', { user: 'eve' }, { ...testEnv, S3_BUCKET: 'no-such-bucket-here' })
    const err = await errorOf(res)
    expect(err).toMatchObject({ status: 502, code: 's3_error' })
    expect(err.message).toContain('NoSuchBucket')
  })
})

it('S3 that never answers → 504 within the timeout', async () => {
  const started = Date.now()
  const res = await api(
    '/api/files',
    { user: 'eve' },
    { ...testEnv, S3_ENDPOINT: testEnv.TEST_BLACKHOLE_URL, S3_TIMEOUT_MS: '300' },
  )
  expect(await errorOf(res)).toMatchObject({ status: 504, code: 's3_timeout' })
  expect(Date.now() - started).toBeLessThan(5000)
})

// workerd itself logs the refused connection as an "uncaught exception"; the app does catch it.
it('S3 that refuses connections → 502 s3_unreachable', async () => {
  const res = await api(
    '/api/files',
    { user: 'eve' },
    { ...testEnv, S3_ENDPOINT: 'http://127.0.0.1:9', S3_TIMEOUT_MS: '2000' },
  )
  expect(await errorOf(res)).toMatchObject({ status: 502, code: 's3_unreachable' })
})
