// The bucket doctor against RGW, on a bucket of its own (so making it public cannot affect other
// tests): a bare bucket misses CORS and the lifecycle rule, a public one is reported, and the fixes
// clear what they can.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { AwsClient } from 'aws4fetch'
import { describeS3, testEnv } from '../helpers'
import { parseConfig } from '../../src/config'
import { applyFixes, runChecks, type Finding } from '../../src/doctor/checks'
import { bucketUrl } from '../../src/s3/urls'

const ORIGIN = 'https://files.example.com'
const bucket = `bucketgate-doctor-${crypto.randomUUID().slice(0, 8)}`
const config = parseConfig({
  ...testEnv,
  S3_BUCKET: bucket,
  UPLOAD_MAX_BYTES: String(200 * 1024 ** 2),
  APP_ORIGIN: ORIGIN,
})
const admin = new AwsClient({ ...config.s3, service: 's3', retries: 0 })
const url = bucketUrl(config.s3)

const byCheck = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.check, f]))

describeS3('bucket doctor against RGW', () => {
  beforeAll(async () => {
    expect((await admin.fetch(url, { method: 'PUT' })).status).toBe(200)
  })
  afterAll(async () => {
    await admin.fetch(`${url}/?policy=`, { method: 'DELETE' })
    await admin.fetch(url, { method: 'DELETE' })
  })

  it('reports a bare bucket: reachable, private, but no CORS and no lifecycle rule', async () => {
    const f = byCheck(await runChecks(config))
    expect(f.bucket.ok).toBe(true)
    expect(f.access).toMatchObject({ ok: true })
    expect(f.private).toMatchObject({ ok: true })
    expect(f.cors).toMatchObject({ ok: false, fixable: true })
    expect(f.cors.message).toContain('no CORS rules')
    expect(f.cors.fix).toContain(ORIGIN)
    expect(f.lifecycle).toMatchObject({ ok: false, fixable: true })
    // The probe is cleaned up.
    const list = await admin.fetch(`${url}/?list-type=2`)
    expect(await list.text()).not.toContain('<Key>')
  })

  it('names the missing piece of a CORS rule: another origin, no PUT, no ETag', async () => {
    const put = async (rule: string) => {
      const body = `<CORSConfiguration><CORSRule>${rule}</CORSRule></CORSConfiguration>`
      const md5 = await crypto.subtle.digest('MD5', new TextEncoder().encode(body))
      const res = await admin.fetch(`${url}/?cors=`, {
        method: 'PUT',
        body,
        headers: { 'Content-MD5': btoa(String.fromCharCode(...new Uint8Array(md5))) },
      })
      expect(res.status).toBe(200)
    }
    await put(
      '<AllowedOrigin>https://other.example</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader>',
    )
    expect(byCheck(await runChecks(config)).cors.message).toContain(`no CORS rule allows the origin ${ORIGIN}`)
    await put(
      `<AllowedOrigin>${ORIGIN}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader>`,
    )
    const cors = byCheck(await runChecks(config)).cors
    expect(cors.ok).toBe(false)
    expect(cors.message).toContain('does not allow PUT')
    expect(cors.message).toContain('ETag')
    expect(cors.message).not.toContain('POST')
  })

  it('--fix adds the CORS and lifecycle rules (keeping existing ones) and clears both findings', async () => {
    const done = await applyFixes(config, await runChecks(config))
    expect(done).toHaveLength(2)
    const f = byCheck(await runChecks(config))
    expect(f.cors).toMatchObject({ ok: true })
    expect(f.lifecycle).toMatchObject({ ok: true })
    const cors = await (await admin.fetch(`${url}/?cors=`)).text()
    expect(cors.match(/<CORSRule>/g)).toHaveLength(2) // the earlier rule survived
    expect(cors).toContain('<ExposeHeader>ETag</ExposeHeader>')

    // A real preflight from the page's origin for a multipart part now succeeds.
    const preflight = await fetch(`${url}/users/x/y`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(200)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    expect(await applyFixes(config, await runChecks(config))).toEqual([])
  })

  it('reports a public bucket (a policy letting anyone read and list)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
      ],
    })
    expect((await admin.fetch(`${url}/?policy=`, { method: 'PUT', body: policy })).status).toBeLessThan(300)
    const f = byCheck(await runChecks(config))
    expect(f.private).toMatchObject({ ok: false })
    expect(f.private.message).toContain('PUBLIC')
    expect(f.private.message).toContain('read objects')
    expect(f.private.fix).toContain('delete-bucket-policy')
    expect(f.private.fixable).toBeUndefined()
  })

  it('reports a missing bucket and stops there', async () => {
    const findings = await runChecks(parseConfig({ ...testEnv, S3_BUCKET: `${bucket}-absent` }))
    expect(findings).toEqual([expect.objectContaining({ check: 'bucket', ok: false })])
    expect(findings[0].message).toContain('does not exist')
  })
})
