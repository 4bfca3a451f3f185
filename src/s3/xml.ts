// S3 XML answers read with @rgrove/parse-xml (a small, strict XML 1.0 parser: it decodes entity and
// character references such as `&#13;`, normalizes line ends, and expands no DTD entities) into
// plain typed values. Tag values stay strings (a key called "0123" or an ETag must not become a
// number). ListObjectsV2 pages have their own scanner (list-page.ts: CPU). Bodies S3 is sent: xml-body.ts.
import { parseXml as parseDocument, XmlElement } from '@rgrove/parse-xml'
import { unquoteEtag } from './etag'

/** Elements that may repeat; read as arrays even when there is only one. */
const REPEATED = new Set([
  'Contents',
  'Part',
  'Upload',
  'CORSRule',
  'AllowedOrigin',
  'AllowedMethod',
  'AllowedHeader',
  'ExposeHeader',
  'Rule',
  'Grant',
])

/** An element's text (when it has no child elements), or its children by name. */
export type XmlValue = string | XmlObject
export type XmlObject = { [name: string]: XmlValue | XmlValue[] | undefined }

function toValue(element: XmlElement): XmlValue {
  const children = element.children.filter((c) => c instanceof XmlElement)
  if (children.length === 0) return element.text
  // No prototype: an element named `__proto__` or `constructor` is just a name here.
  const out: XmlObject = Object.create(null)
  for (const child of children) {
    const value = toValue(child)
    if (!REPEATED.has(child.name)) out[child.name] = value
    else ((out[child.name] ??= []) as XmlValue[]).push(value)
  }
  return out
}

/**
 * Any S3 XML document as plain values: `{ Root: { Child: 'text', Repeated: [...] } }`. Throws on
 * XML that is not well-formed. Leading whitespace is skipped: S3 may send it before the declaration
 * while it works on a CompleteMultipartUpload.
 */
export function parseXml(xml: string): XmlObject {
  const root = parseDocument(xml.trimStart()).root
  const out: XmlObject = Object.create(null)
  if (root) out[root.name] = toValue(root)
  return out
}

/** A ListObjectsV2 page, as list-page.ts reads it. */
export type ListedObject = { key: string; size: number; lastModified: string; etag: string }
export type ListPage = { objects: ListedObject[]; nextToken: string | null }

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function child(value: XmlValue | XmlValue[] | undefined, name: string): XmlValue | XmlValue[] | undefined {
  return typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined
}

function list(value: XmlValue | XmlValue[] | undefined): XmlValue[] {
  return Array.isArray(value) ? value : []
}

export function parseS3Error(xml: string): { code?: string; message?: string } {
  if (!xml.trim().startsWith('<')) return {}
  try {
    const error = parseXml(xml).Error
    return { code: text(child(error, 'Code')) || undefined, message: text(child(error, 'Message')) || undefined }
  } catch {
    return {}
  }
}

export function parseInitiateMultipartUpload(xml: string): { uploadId: string } {
  const uploadId = text(child(parseXml(xml).InitiateMultipartUploadResult, 'UploadId')).trim()
  if (!uploadId) throw new Error('S3 answer has no UploadId')
  return { uploadId }
}

export type UploadedPart = { partNumber: number; etag: string; size: number }
export type PartsPage = { parts: UploadedPart[]; nextMarker: string | null }

export function parseListParts(xml: string): PartsPage {
  const result = parseXml(xml).ListPartsResult
  if (result === undefined) throw new Error('S3 answer has no ListPartsResult')
  const parts = list(child(result, 'Part')).map((p) => ({
    partNumber: Number(text(child(p, 'PartNumber'))),
    etag: unquoteEtag(text(child(p, 'ETag'))),
    size: Number(text(child(p, 'Size'))) || 0,
  }))
  const truncated = text(child(result, 'IsTruncated')).trim() === 'true'
  return { parts, nextMarker: truncated ? text(child(result, 'NextPartNumberMarker')).trim() || null : null }
}

/** The assembled object's ETag from a CompleteMultipartUploadResult ('' when S3 sends none). */
export function parseCompleteMultipartUpload(xml: string): { etag: string } {
  const result = parseXml(xml).CompleteMultipartUploadResult
  return { etag: unquoteEtag(text(child(result, 'ETag')).trim()) }
}

/**
 * CompleteMultipartUpload can answer 200 and still fail: S3 streams whitespace while it assembles
 * the parts and reports an error in the body. Returns the error code, or null on success.
 */
export function completeMultipartError(xml: string): { code: string; message: string } | null {
  if (!/<Error[\s>]/.test(xml)) return null
  const { code, message } = parseS3Error(xml)
  return { code: code ?? 'InternalError', message: message ?? '' }
}
