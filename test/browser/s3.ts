// Direct access to the test RGW from Node, bypassing the app: make and remove a bucket per app,
// and check what really is (or is not) stored, with its bytes.
import { createHash } from 'node:crypto'
import { AwsClient } from 'aws4fetch'
import { parseXml, XmlElement } from '@rgrove/parse-xml'
import { TEST_S3 } from '../setup/test-values'

const aws = new AwsClient({ ...TEST_S3.credentials, service: 's3', region: TEST_S3.region, retries: 0 })

/** The `name` children of an S3 answer's root element, each as { child name: its text }. */
function entries(xml: string, name: string): Record<string, string>[] {
  const elements = (e: XmlElement | null | undefined) => (e?.children ?? []).filter((c) => c instanceof XmlElement)
  return elements(parseXml(xml).root)
    .filter((e) => e.name === name)
    .map((e) => Object.fromEntries(elements(e).map((c) => [c.name, c.text])))
}

/** The text of a child of an S3 answer's root element, '' when absent. */
function field(xml: string, name: string): string {
  const found = parseXml(xml).root?.children.find((c) => c instanceof XmlElement && c.name === name)
  return found instanceof XmlElement ? found.text : ''
}

/** RFC 3986 for each `/`-separated segment, the way SigV4 canonicalizes a path. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
}

async function ok(res: Response, doing: string): Promise<Response> {
  if (!res.ok) throw new Error(`${doing}: ${res.status} ${await res.text()}`)
  return res
}

export type StoredObject = { key: string; size: number }

/** One bucket on the test RGW, path-style (as the app uses for an IP endpoint). */
export class TestBucket {
  constructor(
    readonly endpoint: string,
    readonly name: string,
  ) {}

  get url(): string {
    return `${this.endpoint}/${this.name}`
  }

  /** Creates the bucket with CORS for exactly `origin`: the methods issues 3/4 use, ETag exposed. */
  async create(origin: string): Promise<void> {
    await ok(await aws.fetch(this.url, { method: 'PUT' }), `create bucket ${this.name}`)
    const cors = [
      '<CORSConfiguration><CORSRule>',
      `<AllowedOrigin>${origin}</AllowedOrigin>`,
      ...['GET', 'PUT', 'POST', 'HEAD', 'DELETE'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`),
      '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds>',
      '</CORSRule></CORSConfiguration>',
    ].join('')
    const body = new TextEncoder().encode(cors)
    const md5 = createHash('md5').update(body).digest('base64')
    await ok(
      await aws.fetch(`${this.url}/?cors`, { method: 'PUT', body, headers: { 'Content-MD5': md5 } }),
      `set CORS on ${this.name}`,
    )
  }

  /** Every object under `prefix` (all pages). */
  async list(prefix = ''): Promise<StoredObject[]> {
    const out: StoredObject[] = []
    let token = ''
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix })
      if (token) query.set('continuation-token', token)
      const res = await ok(await aws.fetch(`${this.url}/?${query}`), `list ${this.name}`)
      const xml = await res.text()
      for (const c of entries(xml, 'Contents')) out.push({ key: c.Key ?? '', size: Number(c.Size) })
      token = field(xml, 'IsTruncated') === 'true' ? field(xml, 'NextContinuationToken') : ''
    } while (token)
    return out
  }

  /** The stored bytes at a full key, or null when there is no such object. */
  async get(key: string): Promise<Uint8Array | null> {
    const res = await aws.fetch(`${this.url}/${encodeKey(key)}`)
    if (res.status === 404) return null
    await ok(res, `get ${key}`)
    return new Uint8Array(await res.arrayBuffer())
  }

  async put(key: string, bytes: Uint8Array<ArrayBuffer>, type = 'application/octet-stream'): Promise<void> {
    await ok(
      await aws.fetch(`${this.url}/${encodeKey(key)}`, {
        method: 'PUT',
        body: bytes,
        headers: { 'Content-Type': type },
      }),
      `put ${key}`,
    )
  }

  /** Multipart uploads started under `prefix` and neither completed nor aborted (one page is plenty here). */
  async unfinishedUploads(prefix = ''): Promise<{ key: string; uploadId: string }[]> {
    const res = await ok(await aws.fetch(`${this.url}/?uploads&${new URLSearchParams({ prefix })}`), 'list uploads')
    return entries(await res.text(), 'Upload').map((u) => ({ key: u.Key ?? '', uploadId: u.UploadId ?? '' }))
  }

  /** Empties and removes the bucket (unfinished multipart uploads too); no error if it is gone. */
  async destroy(): Promise<void> {
    for (const o of await this.list().catch(() => [])) {
      await aws.fetch(`${this.url}/${encodeKey(o.key)}`, { method: 'DELETE' })
    }
    for (const u of await this.unfinishedUploads().catch(() => [])) {
      const query = new URLSearchParams({ uploadId: u.uploadId })
      await aws.fetch(`${this.url}/${encodeKey(u.key)}?${query}`, { method: 'DELETE' })
    }
    const res = await aws.fetch(this.url, { method: 'DELETE' })
    if (!res.ok && res.status !== 404) throw new Error(`delete bucket ${this.name}: ${res.status} ${await res.text()}`)
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
