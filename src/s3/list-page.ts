// ListObjectsV2 answers read by a small scanner rather than an XML parser: a 1,000-key page (about
// 330 KB) costs fast-xml-parser about 25 ms of CPU and @rgrove/parse-xml (xml.ts) about 11 ms, over
// the whole 10 ms a request may spend, and this scanner about 0.5 ms (measured in Node on the bench
// machine). The document is written by S3 itself and its text is escaped, so `<` only ever starts a
// tag. Like a conforming parser it decodes character references (`&#13;`, how S3 sends a control
// character in a key) and normalizes literal line ends. Tests: test/unit/s3/list-page.test.ts and test/integration/list-page.test.ts.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { unquoteEtag } from './etag'
import type { ListedObject, ListPage } from './xml'

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** XML text → string: line ends normalized (XML 1.0 §2.11), then entity and character references. */
function unescapeXml(raw: string): string {
  const s = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw
  if (!s.includes('&')) return s
  return s.replace(ENTITY, (_, dec: string | undefined, hex: string | undefined, named: string | undefined) =>
    named ? NAMED[named] : String.fromCodePoint(dec ? parseInt(dec, 10) : parseInt(hex as string, 16)),
  )
}

/** The raw (still escaped) text of the first <name>…</name> between `from` and `to`; '' when absent. */
function rawChildText(xml: string, name: string, from: number, to: number): string {
  const open = xml.indexOf(`<${name}>`, from)
  if (open < 0 || open >= to) return ''
  const start = open + name.length + 2
  const end = xml.indexOf(`</${name}>`, start)
  if (end < 0 || end > to) throw new Error(`S3 list answer has an unclosed <${name}>`)
  return xml.slice(start, end)
}

/** The text of the first <name>…</name> between `from` and `to`, unescaped; '' when absent. */
function childText(xml: string, name: string, from: number, to: number): string {
  return unescapeXml(rawChildText(xml, name, from, to))
}

const QUOT = '&quot;'
/** Text that unescapeXml would change. */
const NEEDS_UNESCAPE = /[&\r]/

/** An object's ETag without its quotes: AWS and RGW send `&quot;…&quot;`, some servers no quotes. */
function etag(xml: string, from: number, to: number): string {
  const raw = rawChildText(xml, 'ETag', from, to)
  // The common form, read without a regular-expression pass per object (~0.6 µs each, measured).
  const inner = raw.slice(QUOT.length, -QUOT.length)
  if (raw.startsWith(QUOT) && raw.endsWith(QUOT) && raw.length >= 2 * QUOT.length && !NEEDS_UNESCAPE.test(inner)) {
    return inner
  }
  return unquoteEtag(unescapeXml(raw))
}

export function parseListObjectsV2(xml: string): ListPage {
  const root = xml.indexOf('<ListBucketResult')
  if (root < 0) throw new Error('S3 list answer has no ListBucketResult')
  const objects: ListedObject[] = []
  let pos = root
  for (;;) {
    const start = xml.indexOf('<Contents>', pos)
    if (start < 0) break
    const end = xml.indexOf('</Contents>', start)
    if (end < 0) throw new Error('S3 list answer has an unclosed <Contents>')
    objects.push({
      key: childText(xml, 'Key', start, end),
      size: Number(childText(xml, 'Size', start, end)) || 0,
      lastModified: childText(xml, 'LastModified', start, end),
      etag: etag(xml, start, end),
    })
    pos = end
  }
  // The page's own fields never appear inside <Contents> (whose text is escaped), so search all of it.
  const truncated = childText(xml, 'IsTruncated', root, xml.length).trim() === 'true'
  return { objects, nextToken: truncated ? childText(xml, 'NextContinuationToken', root, xml.length) || null : null }
}
