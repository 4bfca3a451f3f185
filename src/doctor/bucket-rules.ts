// What the bucket's CORS and lifecycle configuration must say for bucketgate, as pure functions over
// S3's XML: which requirements a configuration misses, and the rule to add when it does.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
import type { Config } from '../config'
import { parseXml } from '../s3/xml'
import { xmlElement, type XmlBody } from '../s3/xml-body'

/** The lifecycle rule --fix adds; found again by this ID. */
export const LIFECYCLE_RULE_ID = 'bucketgate-abort-incomplete-multipart'
const CORS_MAX_AGE_SECONDS = 3600

export type CorsNeeds = { origin: string; methods: string[]; headers: string[]; expose: string[] }

/** The browser requests the page makes: downloads (GET), its upload method, multipart parts (PUT). */
export function corsNeeds(config: Config, origin: string): CorsNeeds {
  const methods = new Set(['GET', config.upload.mode === 'put' ? 'PUT' : 'POST'])
  if (config.upload.maxBytes >= config.multipart.thresholdBytes) methods.add('PUT')
  const headers = ['content-type']
  if (config.upload.mode === 'put' && config.upload.putIfNoneMatch) headers.push('if-none-match')
  return { origin, methods: [...methods], headers, expose: ['etag'] }
}

type RawCorsRule = {
  AllowedOrigin?: unknown[]
  AllowedMethod?: unknown[]
  AllowedHeader?: unknown[]
  ExposeHeader?: unknown[]
}

const strings = (list: unknown[] | undefined) => (list ?? []).map((x) => String(x).trim())

/** S3 allows one `*` wildcard in AllowedOrigin and AllowedHeader. */
function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
    'i',
  )
  return re.test(value)
}

function rulesOf(xml: string | null): RawCorsRule[] {
  const doc = xml ? (parseXml(xml) as { CORSConfiguration?: { CORSRule?: RawCorsRule[] } }) : {}
  return doc.CORSConfiguration?.CORSRule ?? []
}

/**
 * The rule a browser from `origin` gets. AWS picks the first rule matching origin, method and
 * headers, but Ceph RGW the first matching the origin alone (measured: a later rule adding PUT is
 * ignored, preflight 403), so the portable reading is the first rule naming the origin.
 */
function ruleFor(rules: RawCorsRule[], origin: string): RawCorsRule | undefined {
  return rules.find((r) => strings(r.AllowedOrigin).some((o) => wildcardMatch(o, origin)))
}

/** Plain-words list of what the bucket's CORS does not grant the page; empty when every need is met. */
export function corsGaps(xml: string | null, needs: CorsNeeds): string[] {
  const rules = rulesOf(xml)
  if (rules.length === 0) return ['the bucket has no CORS rules, so browsers may not upload to it from the page']
  const rule = ruleFor(rules, needs.origin)
  if (!rule) return [`no CORS rule allows the origin ${needs.origin}`]
  const gaps: string[] = []
  const what = `the first CORS rule for ${needs.origin} (the one S3 servers such as Ceph apply)`
  const methods = needs.methods.filter((m) => !strings(rule.AllowedMethod).includes(m))
  if (methods.length) gaps.push(`${what} does not allow ${methods.join(', ')}`)
  const headers = needs.headers.filter((h) => !strings(rule.AllowedHeader).some((a) => wildcardMatch(a, h)))
  if (headers.length) gaps.push(`${what} does not allow the request headers ${headers.join(', ')}`)
  if (!strings(rule.ExposeHeader).some((e) => e.toLowerCase() === 'etag')) {
    gaps.push(`${what} does not expose the ETag header, so the page cannot finish multipart uploads`)
  }
  return gaps
}

const union = (...lists: string[][]) => [...new Set(lists.flat())]

/** The rule to put first for the origin: what it needs plus whatever its current first rule allowed. */
export function corsRule(needs: CorsNeeds, existingXml: string | null = null) {
  const current = ruleFor(rulesOf(existingXml), needs.origin) ?? {}
  return {
    AllowedOrigin: [needs.origin],
    AllowedMethod: union(['GET', 'HEAD'], needs.methods, strings(current.AllowedMethod)),
    AllowedHeader: union(needs.headers, strings(current.AllowedHeader)),
    ExposeHeader: union(
      ['ETag'],
      strings(current.ExposeHeader).filter((h) => !/^etag$/i.test(h)),
    ),
    MaxAgeSeconds: CORS_MAX_AGE_SECONDS,
  }
}

/** Days after which incomplete uploads are aborted: a day past the upload token's lifetime. */
export function abortAfterDays(config: Config): number {
  return Math.ceil(config.multipart.ttlSeconds / 86_400) + 1
}

type RawLifecycleRule = {
  ID?: unknown
  Status?: unknown
  Prefix?: unknown
  Filter?: { Prefix?: unknown; And?: { Prefix?: unknown } }
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: unknown }
}

/** Null when an enabled rule aborts incomplete multipart uploads under the user prefix; else why not. */
export function lifecycleGap(xml: string | null, userPrefix: string): string | null {
  const doc = xml ? (parseXml(xml) as { LifecycleConfiguration?: { Rule?: RawLifecycleRule[] } }) : {}
  const rules = doc.LifecycleConfiguration?.Rule ?? []
  const covering = rules.find((r) => {
    const prefix = String(r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? '')
    return (
      String(r.Status ?? '').trim() === 'Enabled' &&
      Number(r.AbortIncompleteMultipartUpload?.DaysAfterInitiation) > 0 &&
      userPrefix.startsWith(prefix)
    )
  })
  if (covering) return null
  return `no lifecycle rule aborts incomplete multipart uploads under "${userPrefix}", so abandoned parts are stored (and billed) forever`
}

export function lifecycleRule(config: Config) {
  return {
    ID: LIFECYCLE_RULE_ID,
    Filter: { Prefix: config.userPrefix },
    Status: 'Enabled',
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: abortAfterDays(config) },
  }
}

/**
 * The configuration with `rule` added as an `element`, first or last: the existing XML is kept as it
 * is (rules this code does not understand survive) and the new element is spliced in.
 */
export function withRule(
  existing: string | null,
  root: string,
  element: string,
  rule: XmlBody,
  where: 'first' | 'last' = 'last',
): string {
  const added = xmlElement(element, rule)
  const open = existing ? new RegExp(`<${root}(\\s[^>]*)?>`).exec(existing) : null
  const close = existing ? existing.lastIndexOf(`</${root}>`) : -1
  if (!existing || !open || close < 0) return `<?xml version="1.0" encoding="UTF-8"?><${root}>${added}</${root}>`
  const at = where === 'first' ? open.index + open[0].length : close
  return existing.slice(0, at) + added + existing.slice(at)
}
