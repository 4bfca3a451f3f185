// Which bytes of a file each multipart part carries, and which parts still need sending. The cut
// itself (partSize, partCount) is the server's answer; this only follows it. Pure: no DOM, no network.

/**
 * @typedef {{size: number, partSize: number, partCount: number}} PartPlan
 */

/**
 * The byte range [start, end) of part `n` (1-based): `partSize` each, the last holds the rest.
 * @param {PartPlan} plan
 * @param {number} n
 * @returns {[number, number]}
 */
export function partRange(plan, n) {
  if (!Number.isInteger(n) || n < 1 || n > plan.partCount) throw new RangeError(`no part ${n}`)
  const start = (n - 1) * plan.partSize
  return [start, n < plan.partCount ? start + plan.partSize : plan.size]
}

/**
 * The parts the bucket already holds that can be kept: only those at their planned size (the
 * server checks again at completion), as partNumber → ETag.
 * @param {PartPlan} plan
 * @param {{partNumber: number, size: number, etag: string}[]} held
 * @returns {Map<number, string>}
 */
export function keptParts(plan, held) {
  const kept = new Map()
  for (const part of held) {
    if (part.partNumber < 1 || part.partNumber > plan.partCount) continue
    const [start, end] = partRange(plan, part.partNumber)
    if (part.size === end - start) kept.set(part.partNumber, part.etag)
  }
  return kept
}

/**
 * Part numbers still to send, in order.
 * @param {PartPlan} plan
 * @param {Map<number, string>} kept
 */
export function missingParts(plan, kept) {
  const missing = []
  for (let n = 1; n <= plan.partCount; n++) if (!kept.has(n)) missing.push(n)
  return missing
}

/**
 * The body of the complete call: every part's ETag, in part order.
 * @param {Map<number, string>} etags
 */
export function completedParts(etags) {
  return [...etags].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }))
}
