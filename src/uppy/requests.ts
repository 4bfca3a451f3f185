// What the Uppy routes accept, in the shapes @uppy/aws-s3 sends (Companion's contract): the file
// name and type as the API's own UploadRequest checks them, and the size from `metadata.size`
// (a query parameter `metadata[size]` for /s3/params, a JSON field for /s3/multipart), which Uppy
// sends only when the page sets it (docs/uppy.md). Part lists use S3's capitalized names.
import * as v from 'valibot'
import { completeBody } from '../uploads/part-list'
import { UploadRequest } from '../uploads/upload-request'

const size = v.pipe(
  v.union(
    [v.number(), v.pipe(v.string(), v.regex(/^\d{1,16}$/), v.transform(Number))],
    'must be the file size in bytes',
  ),
  UploadRequest.entries.size,
)

/** Uppy sends `type` from the File; a file the browser could not type is application/octet-stream. */
const type = v.optional(UploadRequest.entries.type, 'application/octet-stream')

export const ParamsQuery = v.object({
  filename: UploadRequest.entries.name,
  type,
  'metadata[size]': v.optional(size),
})

export const CreateBody = v.object({
  filename: UploadRequest.entries.name,
  type,
  metadata: v.optional(v.object({ size: v.optional(size) }), {}),
})

export const KeyQuery = v.object({ key: v.string('key is required') })

export const PartParam = v.object({
  uploadId: v.string(),
  partNumber: v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a part number'), v.transform(Number)),
})

export const BatchQuery = v.object({
  key: v.string('key is required'),
  partNumbers: v.pipe(
    v.string('partNumbers is required'),
    v.regex(/^\d{1,5}(,\d{1,5}){0,99}$/, 'must be a comma-separated list of at most 100 part numbers'),
    v.transform((s) => s.split(',').map(Number)),
  ),
})

export const CompleteBody = completeBody('PartNumber', 'ETag')
