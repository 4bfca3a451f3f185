// Reading CORS and lifecycle XML the way the doctor does, without S3.
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config'
import { corsGaps, corsNeeds, corsRule, lifecycleGap, withRule } from '../../../src/doctor/bucket-rules'
import { checkUploadMode } from '../../../src/doctor/checks'

const config = parseConfig(
  {
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_BUCKET: 'b-1',
    S3_ACCESS_KEY_ID: 'id',
    S3_SECRET_ACCESS_KEY: 'secret',
    UPLOAD_MAX_BYTES: String(200 * 1024 ** 2),
  },
  { requireAuth: false },
)
const origin = 'https://files.example.com'
const cors = (...rules: string[]) =>
  `<CORSConfiguration>${rules.map((r) => `<CORSRule>${r}</CORSRule>`).join('')}</CORSConfiguration>`
const full = `<AllowedMethod>GET</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>`

describe('corsGaps', () => {
  const needs = corsNeeds(config, origin)

  it('needs GET, POST (post mode), PUT (multipart reachable), Content-Type and ETag', () => {
    expect(needs).toEqual({ origin, methods: ['GET', 'POST', 'PUT'], headers: ['content-type'], expose: ['etag'] })
    expect(corsNeeds({ ...config, upload: { ...config.upload, mode: 'put' } }, origin).headers).toEqual([
      'content-type',
      'if-none-match',
    ])
  })

  it('accepts an exact or wildcard origin with everything', () => {
    expect(corsGaps(cors(`<AllowedOrigin>${origin}</AllowedOrigin>${full}`), needs)).toEqual([])
    expect(corsGaps(cors(`<AllowedOrigin>https://*.example.com</AllowedOrigin>${full}`), needs)).toEqual([])
  })

  it('names each gap', () => {
    expect(corsGaps(null, needs)[0]).toContain('no CORS rules')
    expect(corsGaps(cors(`<AllowedOrigin>https://x.test</AllowedOrigin>${full}`), needs)[0]).toContain(
      'no CORS rule allows the origin',
    )
    const gaps = corsGaps(
      cors(
        `<AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-a</AllowedHeader>`,
      ),
      needs,
    )
    expect(gaps.join('\n')).toMatch(/does not allow POST, PUT[\s\S]*content-type[\s\S]*ETag/)
  })

  it('reads only the first rule for the origin, as Ceph RGW does', () => {
    const xml = cors(
      `<AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`,
      `<AllowedOrigin>${origin}</AllowedOrigin>${full}`,
    )
    expect(corsGaps(xml, needs)).not.toEqual([])
  })

  it('the fix rule keeps what the origin already had, and goes first', () => {
    const existing = cors(
      `<AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>x-a</AllowedHeader>`,
    )
    const rule = corsRule(needs, existing)
    expect(rule.AllowedMethod).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'])
    expect(rule.AllowedHeader).toEqual(['content-type', 'x-a'])
    const fixed = withRule(existing, 'CORSConfiguration', 'CORSRule', rule, 'first')
    expect(corsGaps(fixed, needs)).toEqual([])
    expect(fixed.indexOf('<AllowedMethod>PUT')).toBeLessThan(
      fixed.indexOf('<AllowedHeader>x-a</AllowedHeader></CORSRule>'),
    )
  })
})

describe('lifecycleGap', () => {
  const rule = (prefix: string, status = 'Enabled', days = 2) =>
    `<LifecycleConfiguration><Rule><Filter><Prefix>${prefix}</Prefix></Filter><Status>${status}</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>${days}</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>`

  it('accepts an enabled abort rule covering the user prefix', () => {
    expect(lifecycleGap(rule('users/'), 'users/')).toBeNull()
    expect(lifecycleGap(rule(''), 'users/')).toBeNull()
  })

  it('refuses none, a disabled one, or one for another prefix', () => {
    expect(lifecycleGap(null, 'users/')).toContain('no lifecycle rule')
    expect(lifecycleGap(rule('users/', 'Disabled'), 'users/')).not.toBeNull()
    expect(lifecycleGap(rule('logs/'), 'users/')).not.toBeNull()
  })
})

describe('checkUploadMode', () => {
  it('says R2 needs UPLOAD_MODE=put, and nothing otherwise', () => {
    const r2 = { ...config, s3: { ...config.s3, endpoint: new URL('https://abc123.r2.cloudflarestorage.com') } }
    expect(checkUploadMode(r2)).toMatchObject({ check: 'mode', ok: false, fix: expect.stringContaining('UPLOAD_MODE') })
    expect(checkUploadMode({ ...r2, upload: { ...r2.upload, mode: 'put' } })).toBeNull()
    expect(checkUploadMode(config)).toBeNull()
  })
})
