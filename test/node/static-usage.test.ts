// The page's usage bar and over-quota check (static/js/usage.js).
import { describe, expect, it } from 'vitest'
import { describeUsage, quotaProblem, usageLevel, usedShare } from '../../static/js/usage.js'

const usage = (bytes: number, files: number, quotaBytes: number | null, quotaFiles: number | null = null) => ({
  bytes,
  files,
  quotaBytes,
  quotaFiles,
})

describe('usage bar', () => {
  it('takes the larger share of bytes and files; none without quotas', () => {
    expect(usedShare(usage(500, 9, 1000, 10))).toBe(0.9)
    expect(usedShare(usage(500, 1, 1000))).toBe(0.5)
    expect(usedShare(usage(5000, 1, 1000))).toBe(1)
    expect(usedShare(usage(500, 1, null))).toBeNull()
  })

  it('warns from 90 % and says full at 100 %', () => {
    expect(usageLevel(usage(899, 0, 1000))).toBe('ok')
    expect(usageLevel(usage(900, 0, 1000))).toBe('warning')
    expect(usageLevel(usage(1000, 0, 1000))).toBe('full')
    expect(usageLevel(usage(10 ** 9, 5, null))).toBe('ok')
  })

  it('says what is used, of what', () => {
    expect(describeUsage(usage(2048, 1, 3000))).toBe('2 KB of 2.9 KB used · 1 file')
    expect(describeUsage(usage(2048, 3, 1024 ** 2, 4))).toBe('2 KB of 1 MB used · 3 of 4 files')
    expect(describeUsage(usage(3000, 2, 3000))).toBe(
      '2.9 KB of 2.9 KB used · 2 files · your storage is full; delete files to upload more',
    )
    expect(describeUsage(usage(1536, 2, null))).toBe('1.5 KB in 2 files')
  })
})

describe('quotaProblem', () => {
  it('refuses a file that would pass the byte quota, counting files already queued', () => {
    const u = usage(1000, 1, 3000)
    expect(quotaProblem({ size: 2000 }, u, { bytes: 0, files: 0 })).toBeNull()
    expect(quotaProblem({ size: 2000 }, u, { bytes: 1, files: 1 })).toBe(
      'Over your storage quota: this file is 2000 bytes but only 1999 bytes of your 3000 bytes are left',
    )
    expect(quotaProblem({ size: 3000 }, u, { bytes: 0, files: 0 })).toBe(
      'Over your storage quota: this file is 2.9 KB but only 2 KB of your 2.9 KB are left',
    )
  })

  it('refuses one file too many', () => {
    expect(quotaProblem({ size: 1 }, usage(0, 2, null, 3), { bytes: 0, files: 1 })).toBe(
      'Over your file quota: you may keep 3 files; delete some to upload more',
    )
    expect(quotaProblem({ size: 1 }, usage(0, 2, null, 3), { bytes: 0, files: 0 })).toBeNull()
  })
})
