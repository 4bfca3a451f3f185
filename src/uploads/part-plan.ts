// How a multipart upload is cut: equal parts except the last, each at least 5 MiB, at most 10,000
// parts — the strictest common rule (AWS S3 and R2 agree), so one plan works on every store. Pure.
import { MAX_PARTS, PART_MAX_BYTES, PART_MIN_BYTES } from '../s3/limits'

const MiB = 1024 ** 2

export type PartPlan = { size: number; partSize: number; partCount: number }

/** `preferredPartBytes` (MULTIPART_PART_BYTES) grows, in whole MiB, only when 10,000 parts would not hold `size`. */
export function planParts(size: number, preferredPartBytes: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('a multipart upload needs at least one byte')
  const needed = Math.ceil(size / MAX_PARTS / MiB) * MiB
  const partSize = Math.max(preferredPartBytes, needed, PART_MIN_BYTES)
  if (partSize > PART_MAX_BYTES) throw new RangeError('file too large for 10,000 parts of 5 GiB')
  return { size, partSize, partCount: Math.ceil(size / partSize) }
}

/** Bytes in part `n` (1-based): `partSize`, except the last which holds the rest. */
export function partLength(plan: PartPlan, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > plan.partCount) throw new RangeError(`no part ${n}`)
  return n < plan.partCount ? plan.partSize : plan.size - plan.partSize * (plan.partCount - 1)
}
