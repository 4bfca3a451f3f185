// S3 XML answers parsed with fast-xml-parser into plain typed values. Tag values stay strings
// (a key called "0123" or an ETag must not become a number).
import { XMLBuilder, XMLParser } from 'fast-xml-parser'

/** Elements that may repeat; parsed as arrays even when there is only one. */
const REPEATED = new Set([
  'Contents',
  'Part',
  'CORSRule',
  'AllowedOrigin',
  'AllowedMethod',
  'AllowedHeader',
  'ExposeHeader',
  'Rule',
  'Grant',
])

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
})

// Escapes &, <, > and quotes in text, so values from clients (ETags) cannot add elements.
const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false })

/** Any S3 XML document as plain values (repeated elements as arrays, values as strings). */
export function parseXml(xml: string): unknown {
  return parser.parse(xml)
}

/** An S3 request body: the declaration and one root element. */
export function toXml(root: string, value: unknown): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' + (builder.build({ [root]: value }) as string)
}

/** A ListObjectsV2 page, as list-page.ts reads it (not with fast-xml-parser: see there why). */
export type ListedObject = { key: string; size: number; lastModified: string; etag: string }
export type ListPage = { objects: ListedObject[]; nextToken: string | null }

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value)
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

export function parseInitiateMultipartUpload(xml: string): { uploadId: string } {
  const doc = parser.parse(xml) as { InitiateMultipartUploadResult?: { UploadId?: unknown } }
  const uploadId = text(doc.InitiateMultipartUploadResult?.UploadId).trim()
  if (!uploadId) throw new Error('S3 answer has no UploadId')
  return { uploadId }
}

export type UploadedPart = { partNumber: number; etag: string; size: number }
export type PartsPage = { parts: UploadedPart[]; nextMarker: string | null }

export function parseListParts(xml: string): PartsPage {
  const doc = parser.parse(xml) as {
    ListPartsResult?: {
      Part?: { PartNumber?: unknown; ETag?: unknown; Size?: unknown }[]
      IsTruncated?: unknown
      NextPartNumberMarker?: unknown
    }
  }
  const result = doc.ListPartsResult
  if (!result) throw new Error('S3 answer has no ListPartsResult')
  const parts = (result.Part ?? []).map((p) => ({
    partNumber: Number(text(p.PartNumber)),
    etag: text(p.ETag).replace(/^"|"$/g, ''),
    size: Number(text(p.Size)) || 0,
  }))
  const truncated = text(result.IsTruncated).trim() === 'true'
  return { parts, nextMarker: truncated ? text(result.NextPartNumberMarker).trim() || null : null }
}

/**
 * CompleteMultipartUpload can answer 200 and still fail: S3 streams whitespace while it assembles
 * the parts and reports an error in the body. Returns the error code, or null on success.
 */
export function completeMultipartError(xml: string): { code: string; message: string } | null {
  if (!/<Error[\s>]/.test(xml)) return null
  const { code, message } = parseS3Error(xml.trim())
  return { code: code ?? 'InternalError', message: message ?? '' }
}
