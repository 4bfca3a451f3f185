// A missing or invalid setting is a clear error that names it, not a crash.
import { describe, expect, it, vi } from 'vitest'
import { parseConfig } from '../../src/config'
import app from '../../src/index'
import { errorOf, testEnv } from '../helpers'

const base = {
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_BUCKET: 'my-bucket',
  S3_ACCESS_KEY_ID: 'id',
  S3_SECRET_ACCESS_KEY: 'secret',
  AUTH_JWT_SECRET: 'x'.repeat(32),
}

describe('parseConfig', () => {
  it('applies defaults and picks path-style for IP endpoints', () => {
    const c = parseConfig(base)
    expect(c.s3.pathStyle).toBe(true)
    expect(c.s3.region).toBe('us-east-1')
    expect(c.upload).toEqual({
      maxBytes: 10485760,
      allowedTypes: expect.any(Array),
      ttlSeconds: 300,
      mode: 'post',
      putIfNoneMatch: true,
      thumbnailMaxBytes: 131072,
    })
    expect(c.multipart).toEqual({ thresholdBytes: 104857600, partBytes: 8388608, ttlSeconds: 86400 })
    expect(c.download.ttlSeconds).toBe(3600)
    expect(c.download.urlWindowSeconds).toBe(900)
    expect(c.userPrefix).toBe('users/')
    expect(parseConfig({ ...base, S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com' }).s3.pathStyle).toBe(false)
    expect(
      parseConfig({ ...base, S3_ENDPOINT: 'https://minio.example', S3_FORCE_PATH_STYLE: 'true' }).s3.pathStyle,
    ).toBe(true)
  })

  it.each([
    ['S3_BUCKET', { S3_BUCKET: undefined }],
    ['S3_ENDPOINT', { S3_ENDPOINT: 'not a url' }],
    ['S3_ENDPOINT', { S3_ENDPOINT: 'https://s3.example.com/my-bucket' }],
    ['S3_ENDPOINT', { S3_ENDPOINT: 'ftp://s3.example.com' }],
    ['S3_SECRET_ACCESS_KEY', { S3_SECRET_ACCESS_KEY: '' }],
    ['UPLOAD_MAX_BYTES', { UPLOAD_MAX_BYTES: '-5' }],
    ['UPLOAD_TTL_SECONDS', { UPLOAD_TTL_SECONDS: 'soon' }],
    ['DOWNLOAD_TTL_SECONDS', { DOWNLOAD_TTL_SECONDS: '604801' }],
    ['DOWNLOAD_URL_WINDOW_SECONDS', { DOWNLOAD_URL_WINDOW_SECONDS: '86401' }],
    ['DOWNLOAD_URL_WINDOW_SECONDS + DOWNLOAD_TTL_SECONDS', { DOWNLOAD_TTL_SECONDS: '604000' }],
    ['DOWNLOAD_INLINE_TYPES', { DOWNLOAD_INLINE_TYPES: 'image/png,image/svg+xml' }],
    ['UPLOAD_ALLOWED_TYPES', { UPLOAD_ALLOWED_TYPES: 'png' }],
    ['S3_FORCE_PATH_STYLE', { S3_FORCE_PATH_STYLE: 'maybe' }],
    ['UPLOAD_MODE', { UPLOAD_MODE: 'patch' }],
    ['APP_ORIGIN', { APP_ORIGIN: 'https://files.example.com/app' }],
    ['UPLOAD_PUT_IF_NONE_MATCH', { UPLOAD_PUT_IF_NONE_MATCH: 'sometimes' }],
    ['MULTIPART_THRESHOLD_BYTES', { MULTIPART_THRESHOLD_BYTES: '1024' }],
    ['MULTIPART_PART_BYTES', { MULTIPART_PART_BYTES: String(6 * 1024 ** 3) }],
    ['MULTIPART_TTL_SECONDS', { MULTIPART_TTL_SECONDS: '604801' }],
    ['AUTH_JWT_SECRET', { AUTH_JWT_SECRET: 'short' }],
    ['AUTH_JWKS_URL', { AUTH_JWKS_URL: 'http://keys.example/certs' }],
    ['AUTH_ISSUER', { AUTH_JWKS_URL: 'https://keys.example/certs' }],
    ['DEV_SESSION_SECRET', { DEV_SIGNIN: 'true' }],
    ['AUTH_JWT_SECRET or AUTH_JWKS_URL', { AUTH_JWT_SECRET: undefined }],
  ])('names %s when it is wrong', (name, change) => {
    expect(() => parseConfig({ ...base, ...change })).toThrow(name)
  })

  it('the app answers a JSON error naming the bad setting instead of crashing', async () => {
    // The operator's log gets the same sentence; caught here so the test run's output stays clean.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const res = await app.request('http://localhost/api/me', {}, { ...testEnv, S3_BUCKET: '' })
      const err = await errorOf(res)
      expect(err).toMatchObject({ status: 500, code: 'config_error' })
      expect(err.message).toContain('S3_BUCKET')
      expect(logged).toHaveBeenCalledWith(err.message)
    } finally {
      logged.mockRestore()
    }
  })
})
