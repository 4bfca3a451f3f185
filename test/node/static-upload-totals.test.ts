// The upload tray's one line (static/js/upload-totals.js, humanDuration in format.js): count, bytes
// and time left over every job, with failed and cancelled jobs out of the byte sums.
import { describe, expect, it } from 'vitest'
import { humanDuration } from '../../static/js/format.js'
import { describeTotals, uploadTotals } from '../../static/js/upload-totals.js'
import type { UploadJob } from '../../static/js/upload-queue.js'

const job = (state: UploadJob['state'], total: number, loaded = 0, speed = 0) =>
  ({ state, total, loaded, speed }) as UploadJob

describe('uploadTotals', () => {
  it('sums what is sent and left, and the time left at the combined speed', () => {
    const totals = uploadTotals([
      job('done', 1000, 1000),
      job('uploading', 2000, 500, 100),
      job('uploading', 1000, 0, 50),
      job('queued', 500),
      job('failed', 9999, 10),
      job('cancelled', 9999, 10),
    ])
    expect(totals).toEqual({
      count: 6,
      done: 1,
      ended: 3,
      failed: 1,
      active: 3,
      loaded: 1500,
      total: 4500,
      secondsLeft: 20,
    })
    expect(describeTotals(totals)).toBe('1 of 6 uploaded, 1 failed · about 20 s left')
  })

  it('has no time left to say before any speed is known, and none once all have ended', () => {
    expect(describeTotals(uploadTotals([job('uploading', 10), job('queued', 10)]))).toBe('0 of 2 uploaded')
    expect(describeTotals(uploadTotals([job('done', 10, 10), job('done', 5, 5)]))).toBe('2 of 2 uploaded')
  })
})

describe('humanDuration', () => {
  it('rounds up to seconds, minutes, or hours and minutes', () => {
    expect(humanDuration(0.2)).toBe('about 1 s')
    expect(humanDuration(59)).toBe('about 59 s')
    expect(humanDuration(61)).toBe('about 2 min')
    expect(humanDuration(3600)).toBe('about 1 h')
    expect(humanDuration(4800)).toBe('about 1 h 20 min')
    expect(humanDuration(Number.NaN)).toBe('')
  })
})
