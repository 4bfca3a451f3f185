// S3 XML answers parsed with fast-xml-parser into plain typed values. Tag values stay strings
// (a key called "0123" or an ETag must not become a number).
import { XMLParser } from 'fast-xml-parser'

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'Contents',
})

export type ListedObject = { key: string; size: number; lastModified: string; etag: string }
export type ListPage = { objects: ListedObject[]; nextToken: string | null }

type RawContents = { Key?: unknown; Size?: unknown; LastModified?: unknown; ETag?: unknown }

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value)
}

export function parseListObjectsV2(xml: string): ListPage {
  const doc = parser.parse(xml) as {
    ListBucketResult?: { Contents?: RawContents[]; IsTruncated?: string; NextContinuationToken?: string }
  }
  const result = doc.ListBucketResult
  if (!result) throw new Error('S3 list answer has no ListBucketResult')
  const objects = (result.Contents ?? []).map((c) => ({
    key: text(c.Key),
    size: Number(text(c.Size)) || 0,
    lastModified: text(c.LastModified),
    // RGW sends ETags unquoted, AWS quoted; clients get one form.
    etag: text(c.ETag).replace(/^"|"$/g, ''),
  }))
  const truncated = text(result.IsTruncated).trim() === 'true'
  return { objects, nextToken: truncated ? text(result.NextContinuationToken) || null : null }
}

export function parseS3Error(xml: string): { code?: string; message?: string } {
  if (!xml.trim().startsWith('<')) return {}
  try {
    const doc = parser.parse(xml) as { Error?: { Code?: unknown; Message?: unknown } }
    return {
      code: doc.Error?.Code ? text(doc.Error.Code) : undefined,
      message: doc.Error?.Message ? text(doc.Error.Message) : undefined,
    }
  } catch {
    return {}
  }
}
