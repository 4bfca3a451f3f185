// The multipart S3 calls made by the Worker: create, list parts, complete, abort. Callers pass
// full keys already confined by keys.ts and an uploadId bound to that key by the upload token.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
import type { S3Settings } from './settings'
import { S3Error } from '../errors'
import { toQueryString } from './encoding'
import { s3Fetch, toS3Error } from './client'
import { objectUrl } from './urls'
import {
  completeMultipartError,
  parseCompleteMultipartUpload,
  parseInitiateMultipartUpload,
  parseListParts,
  type UploadedPart,
} from './xml'
import { LIST_MAX_PARTS } from './limits'
import { xmlDocument } from './xml-body'

function uploadUrl(s3: S3Settings, key: string, params: [string, string][]): string {
  return `${objectUrl(s3, key)}?${toQueryString(params)}`
}

export async function createMultipartUpload(s3: S3Settings, key: string, contentType: string): Promise<string> {
  const res = await s3Fetch(s3, uploadUrl(s3, key, [['uploads', '']]), {
    method: 'POST',
    headers: { 'Content-Type': contentType },
  })
  if (!res.ok) throw await toS3Error(res)
  return parseInitiateMultipartUpload(await res.text()).uploadId
}

/** Every part S3 holds for the upload, following ListParts pages. */
export async function listParts(s3: S3Settings, key: string, uploadId: string): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = []
  let marker: string | null = '0'
  while (marker !== null) {
    const res = await s3Fetch(
      s3,
      uploadUrl(s3, key, [
        ['uploadId', uploadId],
        ['max-parts', String(LIST_MAX_PARTS)],
        ['part-number-marker', marker],
      ]),
    )
    if (!res.ok) throw await toS3Error(res)
    const page = parseListParts(await res.text())
    parts.push(...page.parts)
    marker = page.nextMarker
  }
  return parts
}

export async function completeMultipartUpload(
  s3: S3Settings,
  key: string,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
): Promise<{ etag: string }> {
  const body = xmlDocument('CompleteMultipartUpload', {
    Part: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag}"` })),
  })
  const res = await s3Fetch(s3, uploadUrl(s3, key, [['uploadId', uploadId]]), { method: 'POST', body })
  if (!res.ok) throw await toS3Error(res)
  const xml = await res.text()
  const failed = completeMultipartError(xml)
  if (failed) throw new S3Error(res.status, failed.code, failed.message)
  return parseCompleteMultipartUpload(xml)
}

export async function abortMultipartUpload(s3: S3Settings, key: string, uploadId: string): Promise<void> {
  const res = await s3Fetch(s3, uploadUrl(s3, key, [['uploadId', uploadId]]), { method: 'DELETE' })
  if (!res.ok) throw await toS3Error(res)
}
