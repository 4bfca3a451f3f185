// The one S3 admin helper (npm run dev, the test setups, the benchmarks): talks to a bucket directly,
// bypassing the app, with aws4fetch: create it with CORS for the page's origins, put, get, list, delete.
import { createHash } from 'node:crypto'
import { parseXml, XmlElement } from '@rgrove/parse-xml'
import { AwsClient } from 'aws4fetch'

/**
 * @typedef {{ accessKeyId: string, secretAccessKey: string }} Credentials
 * @typedef {{ key: string, size: number }} StoredObject
 */

/** The methods the page uses on the bucket: POST and PUT uploads, GET/HEAD downloads, DELETE for tests. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']

/**
 * The `name` children of an S3 answer's root element, each as { child name: its text }.
 * @param {string} xml @param {string} name @returns {Record<string, string>[]}
 */
function entries(xml, name) {
  /** @param {XmlElement | null | undefined} e @returns {XmlElement[]} */
  const elements = (e) => /** @type {XmlElement[]} */ ((e?.children ?? []).filter((c) => c instanceof XmlElement))
  return elements(parseXml(xml).root)
    .filter((e) => e.name === name)
    .map((e) => Object.fromEntries(elements(e).map((c) => [c.name, c.text])))
}

/** The text of a child of an S3 answer's root element, '' when absent. @param {string} xml @param {string} name */
function field(xml, name) {
  const found = parseXml(xml).root?.children.find((c) => c instanceof XmlElement && c.name === name)
  return found instanceof XmlElement ? found.text : ''
}

/** RFC 3986 for each `/`-separated segment, the way SigV4 canonicalizes a path. @param {string} key */
export function encodeKey(key) {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
}

/** @param {Response} res @param {string} doing */
async function ok(res, doing) {
  if (!res.ok) throw new Error(`${doing}: ${res.status} ${await res.text()}`)
  return res
}

/** One bucket, addressed path-style (as the app does for an IP endpoint). */
export class S3Bucket {
  /**
   * @param {{ endpoint: string, bucket: string, credentials: Credentials, region?: string }} opts
   */
  constructor({ endpoint, bucket, credentials, region = 'us-east-1' }) {
    this.endpoint = endpoint
    this.name = bucket
    this.aws = new AwsClient({ ...credentials, service: 's3', region, retries: 0 })
  }

  get url() {
    return `${this.endpoint}/${this.name}`
  }

  /**
   * Creates the bucket (no error if this user already has it) with CORS for exactly `origins`, if any.
   * @param {string[]} [origins]
   */
  async create(origins = []) {
    const res = await this.aws.fetch(this.url, { method: 'PUT' })
    // 409 BucketAlreadyOwnedByYou: a kept bucket (s3rver's data directory, a shared test RGW).
    if (!res.ok && res.status !== 409) await ok(res, `create bucket ${this.name}`)
    await res.arrayBuffer()
    if (origins.length) await this.setCors(origins)
  }

  /** @param {string[]} origins */
  async setCors(origins) {
    const cors = [
      '<CORSConfiguration><CORSRule>',
      ...origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`),
      ...CORS_METHODS.map((m) => `<AllowedMethod>${m}</AllowedMethod>`),
      '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds>',
      '</CORSRule></CORSConfiguration>',
    ].join('')
    const body = new TextEncoder().encode(cors)
    const md5 = createHash('md5').update(body).digest('base64')
    const res = await this.aws.fetch(`${this.url}/?cors`, { method: 'PUT', body, headers: { 'Content-MD5': md5 } })
    await (await ok(res, `set CORS on ${this.name}`)).arrayBuffer()
  }

  /** Every object under `prefix` (all pages). @param {string} [prefix] @returns {Promise<StoredObject[]>} */
  async list(prefix = '') {
    /** @type {StoredObject[]} */
    const out = []
    let token = ''
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix })
      if (token) query.set('continuation-token', token)
      const xml = await (await ok(await this.aws.fetch(`${this.url}/?${query}`), `list ${this.name}`)).text()
      for (const c of entries(xml, 'Contents')) out.push({ key: c.Key ?? '', size: Number(c.Size) })
      token = field(xml, 'IsTruncated') === 'true' ? field(xml, 'NextContinuationToken') : ''
    } while (token)
    return out
  }

  /** The stored bytes at a full key, or null when there is no such object. @param {string} key */
  async get(key) {
    const res = await this.aws.fetch(`${this.url}/${encodeKey(key)}`)
    if (res.status === 404) {
      await res.arrayBuffer()
      return null
    }
    await ok(res, `get ${key}`)
    return new Uint8Array(await res.arrayBuffer())
  }

  /**
   * @param {string} key
   * @param {Uint8Array<ArrayBuffer> | string} body
   * @param {string} [type]
   */
  async put(key, body, type = 'application/octet-stream') {
    const res = await this.aws.fetch(`${this.url}/${encodeKey(key)}`, {
      method: 'PUT',
      body,
      headers: { 'Content-Type': type },
    })
    await (await ok(res, `put ${key}`)).arrayBuffer()
  }

  /**
   * Puts the same small `body` at each of `keys`, `batch` at a time.
   * @param {string[]} keys @param {string} body @param {string} type @param {number} [batch]
   */
  async putMany(keys, body, type, batch = 32) {
    for (let i = 0; i < keys.length; i += batch) {
      await Promise.all(keys.slice(i, i + batch).map((key) => this.put(key, body, type)))
    }
  }

  /** @param {string} key */
  async delete(key) {
    const res = await this.aws.fetch(`${this.url}/${encodeKey(key)}`, { method: 'DELETE' })
    if (!res.ok && res.status !== 404) await ok(res, `delete ${key}`)
    await res.arrayBuffer()
  }

  /**
   * Multipart uploads started under `prefix` and neither completed nor aborted (first page only).
   * @param {string} [prefix] @returns {Promise<{ key: string, uploadId: string }[]>}
   */
  async unfinishedUploads(prefix = '') {
    const res = await this.aws.fetch(`${this.url}/?uploads&${new URLSearchParams({ prefix })}`)
    const xml = await (await ok(res, 'list uploads')).text()
    return entries(xml, 'Upload').map((u) => ({ key: u.Key ?? '', uploadId: u.UploadId ?? '' }))
  }

  /** Empties and removes the bucket (unfinished multipart uploads too); no error if it is gone. */
  async destroy() {
    for (const o of await this.list().catch(() => [])) await this.delete(o.key).catch(() => {})
    for (const u of await this.unfinishedUploads().catch(() => [])) {
      const query = new URLSearchParams({ uploadId: u.uploadId })
      await (await this.aws.fetch(`${this.url}/${encodeKey(u.key)}?${query}`, { method: 'DELETE' })).arrayBuffer()
    }
    const res = await this.aws.fetch(this.url, { method: 'DELETE' })
    if (!res.ok && res.status !== 404) await ok(res, `delete bucket ${this.name}`)
    await res.arrayBuffer()
  }
}
