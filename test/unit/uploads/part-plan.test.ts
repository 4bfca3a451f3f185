// Part sizing: equal parts but the last, at least 5 MiB, at most 10,000 parts.
import { describe, expect, it } from 'vitest'
import { MAX_PARTS } from '../../../src/s3/limits'
import { partLength, planParts } from '../../../src/uploads/part-plan'

const MiB = 1024 ** 2

describe('planParts', () => {
  it('cuts into parts of the preferred size with the rest in the last part', () => {
    const plan = planParts(12 * MiB + 1, 5 * MiB)
    expect(plan).toEqual({ size: 12 * MiB + 1, partSize: 5 * MiB, partCount: 3 })
    expect([1, 2, 3].map((n) => partLength(plan, n))).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 1])
  })

  it('an exact multiple has a full last part; a small file is one part', () => {
    const plan = planParts(10 * MiB, 5 * MiB)
    expect(plan.partCount).toBe(2)
    expect(partLength(plan, 2)).toBe(5 * MiB)
    expect(planParts(100, 8 * MiB)).toEqual({ size: 100, partSize: 8 * MiB, partCount: 1 })
  })

  it('never goes below 5 MiB, and grows the part size in whole MiB to stay within 10,000 parts', () => {
    expect(planParts(50 * MiB, 1024).partSize).toBe(5 * MiB)
    const fiveTiB = 5 * 1024 ** 4
    const plan = planParts(fiveTiB, 8 * MiB)
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS)
    expect(plan.partSize % MiB).toBe(0)
    expect(plan.partSize).toBe(525 * MiB)
    expect(partLength(plan, plan.partCount)).toBeGreaterThan(0)
  })

  it('refuses empty files and parts that do not exist', () => {
    expect(() => planParts(0, 5 * MiB)).toThrow(RangeError)
    const plan = planParts(12 * MiB, 5 * MiB)
    for (const n of [0, 4, 1.5]) expect(() => partLength(plan, n)).toThrow(RangeError)
  })
})
