// The list of parts a client names to complete a multipart upload: part numbers S3 allows and ETags
// as S3 answered them (quoted or not: S3 quotes them, RGW does not; hex MD5s on AWS, RGW and R2).
// The API and Uppy's Companion contract spell the fields differently, so each names its own.
import * as v from 'valibot'
import { MAX_PARTS } from '../s3/limits'

const PartNumber = v.pipe(v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(MAX_PARTS))
const ETag = v.pipe(v.string('must be a string'), v.regex(/^"?[A-Za-z0-9-]{1,128}"?$/, 'must be an ETag'))

/** `{parts: [{<number>, <etag>}, …]}`: at least one part, at most MAX_PARTS. */
export function completeBody<N extends string, E extends string>(number: N, etag: E) {
  const part = v.object({ [number]: PartNumber, [etag]: ETag } as Record<N, typeof PartNumber> & Record<E, typeof ETag>)
  return v.object({
    parts: v.pipe(
      v.array(part),
      v.minLength(1, 'must name at least one part'),
      v.maxLength(MAX_PARTS, `must name at most ${MAX_PARTS} parts`),
    ),
  })
}
