// How the page follows a multipart plan the server handed out (static/js/multipart-plan.js).
import { describe, expect, it } from 'vitest'
import { completedParts, keptParts, missingParts, partRange } from '../../static/js/multipart-plan.js'

const plan = { size: 25, partSize: 10, partCount: 3 }

describe('partRange', () => {
  it('cuts equal parts and gives the last the rest', () => {
    expect([1, 2, 3].map((n) => partRange(plan, n))).toEqual([
      [0, 10],
      [10, 20],
      [20, 25],
    ])
  })

  it('refuses a part the plan does not have', () => {
    expect(() => partRange(plan, 0)).toThrow(RangeError)
    expect(() => partRange(plan, 4)).toThrow(RangeError)
    expect(() => partRange(plan, 1.5)).toThrow(RangeError)
  })
})

describe('resuming', () => {
  it('keeps only held parts of their planned size, and sends the others', () => {
    const kept = keptParts(plan, [
      { partNumber: 1, size: 10, etag: '"a"' },
      { partNumber: 2, size: 7, etag: '"short"' }, // cut off: send again
      { partNumber: 3, size: 5, etag: '"c"' },
      { partNumber: 9, size: 10, etag: '"stray"' }, // not in the plan
    ])
    expect([...kept]).toEqual([
      [1, '"a"'],
      [3, '"c"'],
    ])
    expect(missingParts(plan, kept)).toEqual([2])
    expect(missingParts(plan, new Map())).toEqual([1, 2, 3])
  })

  it('completes with every ETag in part order, whatever order they finished in', () => {
    const etags = new Map([
      [3, '"c"'],
      [1, '"a"'],
      [2, '"b"'],
    ])
    expect(completedParts(etags)).toEqual([
      { partNumber: 1, etag: '"a"' },
      { partNumber: 2, etag: '"b"' },
      { partNumber: 3, etag: '"c"' },
    ])
  })
})
