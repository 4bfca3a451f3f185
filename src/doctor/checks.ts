// The bucket doctor: checks the configured bucket the way bucketgate uses it and says, in plain
// words, what is wrong and the exact fix; `applyFixes` sets the CORS and lifecycle rules it can.
// Only fetch and the AwsClient (src/s3/client.ts), so it runs in Node (npm run doctor) and in
// workerd (the tests, against RGW).
import type { Config } from '../config'
import { S3Error } from '../errors'
import { readBucketConfig, writeBucketConfig, type Md5 } from '../s3/bucket-config'
import { s3Fetch, toS3Error } from '../s3/client'
import { bucketUrl, objectUrl } from '../s3/urls'
import { toQueryString } from '../s3/encoding'
import { LIFECYCLE_RULE_ID, corsGaps, corsNeeds, corsRule, lifecycleGap, lifecycleRule, withRule } from './bucket-rules'

export type CheckId = 'mode' | 'bucket' | 'access' | 'private' | 'cors' | 'lifecycle'

export type Finding = {
  check: CheckId
  ok: boolean
  /** What holds, or what is wrong, in plain words. */
  message: string
  /** The exact change that fixes it (absent when ok). */
  fix?: string
  /** `applyFixes` can make this change itself. */
  fixable?: boolean
}

export type DoctorOptions = {
  /** The page's origin for the CORS check; defaults to APP_ORIGIN. */
  origin?: string
  /** For the Content-MD5 of --fix's writes; WebCrypto has MD5 in workerd only, so Node passes one. */
  md5?: Md5
}

/** Where the doctor writes its probe: never a user's root (roots encode `.` as `~2E`). */
export function probePrefix(config: Config): string {
  return `${config.userPrefix}.bucketgate-doctor/`
}

function describe(err: unknown): string {
  if (err instanceof S3Error) return `${err.s3Code} (${err.status})`
  return err instanceof Error ? err.message : String(err)
}

async function checkBucket(config: Config): Promise<Finding> {
  const { bucket, endpoint } = config.s3
  const res = await s3Fetch(config.s3, bucketUrl(config.s3), { method: 'HEAD' })
  if (res.ok) return { check: 'bucket', ok: true, message: `bucket "${bucket}" exists and these credentials reach it` }
  const where = `at ${endpoint.origin}`
  if (res.status === 404) {
    return {
      check: 'bucket',
      ok: false,
      message: `bucket "${bucket}" does not exist ${where}`,
      fix: `create it (AWS: aws s3api create-bucket --bucket ${bucket} --region ${config.s3.region}), or correct S3_BUCKET / S3_ENDPOINT`,
    }
  }
  if (res.status === 403) {
    return {
      check: 'bucket',
      ok: false,
      message: `bucket "${bucket}" ${where} refuses S3_ACCESS_KEY_ID ${config.s3.accessKeyId} (403)`,
      fix: `check S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY / S3_REGION, and that the key's policy allows s3:ListBucket on arn:aws:s3:::${bucket}`,
    }
  }
  return {
    check: 'bucket',
    ok: false,
    message: `HEAD on bucket "${bucket}" ${where} answered ${res.status}`,
    fix: 'check S3_ENDPOINT and S3_REGION',
  }
}

/** Put, list, anonymous reads, delete, under the probe prefix; always cleans up. */
async function checkAccessAndPrivacy(config: Config): Promise<Finding[]> {
  const key = `${probePrefix(config)}${crypto.randomUUID()}.txt`
  const url = objectUrl(config.s3, key)
  const grant = `s3:PutObject, s3:GetObject, s3:DeleteObject on arn:aws:s3:::${config.s3.bucket}/${config.userPrefix}* and s3:ListBucket on arn:aws:s3:::${config.s3.bucket}`
  const findings: Finding[] = []
  const put = await s3Fetch(config.s3, url, {
    method: 'PUT',
    body: 'bucketgate doctor probe',
    headers: { 'Content-Type': 'text/plain' },
  })
  if (!put.ok) {
    return [
      {
        check: 'access',
        ok: false,
        message: `the credentials cannot put ${key}: ${describe(await toS3Error(put))}`,
        fix: `give the signing key ${grant}`,
      },
    ]
  }
  try {
    const list = await s3Fetch(
      config.s3,
      `${bucketUrl(config.s3)}/?${toQueryString([
        ['list-type', '2'],
        ['prefix', key],
      ])}`,
    )
    const listed = list.ok && (await list.text()).includes('.bucketgate-doctor/')
    if (!listed) {
      findings.push({
        check: 'access',
        ok: false,
        message: `the credentials cannot list under ${probePrefix(config)} (${list.status})`,
        fix: `give the signing key ${grant}`,
      })
    }

    // Without any signature, as anyone on the internet would ask.
    const anonObject = await fetch(url)
    await anonObject.body?.cancel()
    const anonList = await fetch(`${bucketUrl(config.s3)}/?list-type=2&max-keys=1`)
    await anonList.body?.cancel()
    const open = [anonObject.ok && 'read objects', anonList.ok && 'list the bucket'].filter(Boolean)
    findings.push(
      open.length === 0
        ? {
            check: 'private',
            ok: true,
            message: `the bucket is private: anonymous reads and listings are refused (${anonObject.status}, ${anonList.status})`,
          }
        : {
            check: 'private',
            ok: false,
            message: `the bucket is PUBLIC: anyone can ${open.join(' and ')} without a signature`,
            fix: `remove public access: aws s3api delete-bucket-policy --bucket ${config.s3.bucket} (or drop statements with "Principal": "*"), aws s3api put-bucket-acl --bucket ${config.s3.bucket} --acl private, and on AWS turn on Block Public Access (aws s3api put-public-access-block --bucket ${config.s3.bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true)`,
          },
    )
  } finally {
    const del = await s3Fetch(config.s3, url, { method: 'DELETE' })
    const gone = (await s3Fetch(config.s3, url, { method: 'HEAD' })).status === 404
    if (!del.ok || !gone) {
      findings.push({
        check: 'access',
        ok: false,
        message: `the credentials cannot delete ${key} (${del.status}); it is left in the bucket`,
        fix: `give the signing key ${grant}, then delete ${key}`,
      })
    }
  }
  if (!findings.some((f) => f.check === 'access')) {
    findings.unshift({
      check: 'access',
      ok: true,
      message: `the credentials can put, list and delete under ${probePrefix(config)} (probe removed)`,
    })
  }
  return findings
}

async function checkCors(config: Config, origin: string | undefined): Promise<Finding> {
  if (!origin) {
    return {
      check: 'cors',
      ok: false,
      message: "cannot check CORS without the page's origin",
      fix: 'set APP_ORIGIN (e.g. https://files.example.com) or pass --origin',
    }
  }
  const needs = corsNeeds(config, origin)
  const existing = await readBucketConfig(config.s3, 'cors')
  const gaps = corsGaps(existing, needs)
  if (gaps.length === 0) {
    return {
      check: 'cors',
      ok: true,
      message: `CORS lets ${origin} ${needs.methods.join('/')} with ${needs.headers.join(', ')} and exposes ETag`,
    }
  }
  const rule = corsRule(needs, existing)
  const json = JSON.stringify({
    CORSRules: [
      {
        AllowedOrigins: rule.AllowedOrigin,
        AllowedMethods: rule.AllowedMethod,
        AllowedHeaders: rule.AllowedHeader,
        ExposeHeaders: rule.ExposeHeader,
        MaxAgeSeconds: rule.MaxAgeSeconds,
      },
    ],
  })
  return {
    check: 'cors',
    ok: false,
    message: gaps.join('; '),
    fix: `put this CORS rule first for ${origin} (AWS: aws s3api put-bucket-cors --bucket ${config.s3.bucket} --cors-configuration '${json}' replaces all rules; --fix puts it first and keeps the others)`,
    fixable: true,
  }
}

async function checkLifecycle(config: Config): Promise<Finding> {
  const gap = lifecycleGap(await readBucketConfig(config.s3, 'lifecycle'), config.userPrefix)
  if (!gap)
    return {
      check: 'lifecycle',
      ok: true,
      message: `a lifecycle rule aborts incomplete multipart uploads under "${config.userPrefix}"`,
    }
  const rule = lifecycleRule(config)
  const json = JSON.stringify({
    Rules: [
      {
        ID: rule.ID,
        Filter: rule.Filter,
        Status: rule.Status,
        AbortIncompleteMultipartUpload: rule.AbortIncompleteMultipartUpload,
      },
    ],
  })
  return {
    check: 'lifecycle',
    ok: false,
    message: gap,
    fix: `add a rule aborting them after ${rule.AbortIncompleteMultipartUpload.DaysAfterInitiation} days (AWS: aws s3api put-bucket-lifecycle-configuration --bucket ${config.s3.bucket} --lifecycle-configuration '${json}'; that replaces existing rules, --fix adds it to them)`,
    fixable: true,
  }
}

/** R2 documents POST Object as unsupported, so browser POST policies cannot work there. */
export function checkUploadMode(config: Config): Finding | null {
  if (!config.s3.endpoint.hostname.endsWith('.r2.cloudflarestorage.com') || config.upload.mode === 'put') return null
  return {
    check: 'mode',
    ok: false,
    message: 'the endpoint is Cloudflare R2, which has no browser POST uploads, but UPLOAD_MODE is post',
    fix: 'set UPLOAD_MODE = "put" (presigned PUT tickets)',
  }
}

/** Every check, in order; when the bucket cannot be reached the rest are not attempted. */
export async function runChecks(config: Config, opts: DoctorOptions = {}): Promise<Finding[]> {
  const mode = checkUploadMode(config)
  const bucket = await checkBucket(config)
  if (!bucket.ok) return mode ? [mode, bucket] : [bucket]
  const findings = [...(mode ? [mode] : []), bucket, ...(await checkAccessAndPrivacy(config))]
  const configChecks: [CheckId, () => Promise<Finding>][] = [
    ['cors', () => checkCors(config, opts.origin ?? config.appOrigin)],
    ['lifecycle', () => checkLifecycle(config)],
  ]
  for (const [id, check] of configChecks) {
    try {
      findings.push(await check())
    } catch (err) {
      findings.push({
        check: id,
        ok: false,
        message: `could not read the bucket's ${id} configuration: ${describe(err)}`,
        fix: 'allow the signing key s3:GetBucketCORS and s3:GetLifecycleConfiguration (or check them by hand)',
      })
    }
  }
  return findings
}

/** Applies the CORS and lifecycle fixes the findings call for; returns what was changed. */
export async function applyFixes(config: Config, findings: Finding[], opts: DoctorOptions = {}): Promise<string[]> {
  const done: string[] = []
  const origin = opts.origin ?? config.appOrigin
  if (origin && findings.some((f) => f.check === 'cors' && !f.ok && f.fixable)) {
    const existing = await readBucketConfig(config.s3, 'cors')
    const rule = corsRule(corsNeeds(config, origin), existing)
    // First, so it is the rule every S3 server applies to this origin (see corsGaps).
    const xml = withRule(existing, 'CORSConfiguration', 'CORSRule', rule, 'first')
    await writeBucketConfig(config.s3, 'cors', xml, opts.md5)
    done.push(`added a CORS rule for ${origin}`)
  }
  if (findings.some((f) => f.check === 'lifecycle' && !f.ok && f.fixable)) {
    // A rule of ours that no longer fits (disabled, other prefix) is replaced, not duplicated.
    const existing = (await readBucketConfig(config.s3, 'lifecycle'))?.replace(
      new RegExp(`<Rule>(?:(?!</Rule>)[\\s\\S])*<ID>${LIFECYCLE_RULE_ID}</ID>[\\s\\S]*?</Rule>`),
      '',
    )
    const xml = withRule(existing ?? null, 'LifecycleConfiguration', 'Rule', lifecycleRule(config))
    await writeBucketConfig(config.s3, 'lifecycle', xml, opts.md5)
    done.push(`added lifecycle rule ${LIFECYCLE_RULE_ID}`)
  }
  return done
}
