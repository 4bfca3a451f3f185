// How @uppy/aws-s3 cuts a file, so the part URLs signed here carry the lengths Uppy sends: parts of
// max(ceil(size / 10,000), 5 MiB) bytes (its default getChunkSize with S3's minimum applied), the
// last one holding the rest. A part signed for any other length is refused by S3 with a 403.
import { MAX_PARTS, PART_MAX_BYTES, PART_MIN_BYTES } from '../s3/limits'
import type { PartPlan } from '../uploads/part-plan'

export function uppyPartPlan(size: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('a multipart upload needs at least one byte')
  const partSize = Math.max(Math.ceil(size / MAX_PARTS), PART_MIN_BYTES)
  if (partSize > PART_MAX_BYTES) throw new RangeError('file too large for 10,000 parts of 5 GiB')
  return { size, partSize, partCount: Math.ceil(size / partSize) }
}
