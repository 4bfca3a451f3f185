// Download URLs are signed at the start of a fixed window, so one key gives one URL per window, and
// each URL still lives at least the configured TTL from the moment it is handed out.
import { describe, expect, it } from 'vitest'
import { downloadSigning } from '../../../src/downloads/download-window'

const download = { ttlSeconds: 3600, urlWindowSeconds: 900, inlineTypes: [] }
const at = (iso: string) => new Date(iso)

describe('downloadSigning', () => {
  it('floors the signing time to the window start and covers window + TTL', () => {
    const s = downloadSigning(at('2026-11-28T10:07:31.250Z'), download)
    expect(s.signedAt.toISOString()).toBe('2026-11-28T10:00:00.000Z')
    expect(s.expiresSeconds).toBe(900 + 3600)
    expect(s.cacheControl).toBe('private, max-age=3600, immutable')
  })

  it('gives the same signing time for every instant of a window and a new one at the next', () => {
    const first = downloadSigning(at('2026-11-28T10:00:00.000Z'), download).signedAt.getTime()
    expect(downloadSigning(at('2026-11-28T10:14:59.999Z'), download).signedAt.getTime()).toBe(first)
    expect(downloadSigning(at('2026-11-28T10:15:00.000Z'), download).signedAt.getTime()).toBe(first + 900_000)
  })

  it('leaves every URL at least the TTL to live, never more than window + TTL, within 7 days', () => {
    for (const config of [download, { ...download, ttlSeconds: 10, urlWindowSeconds: 86_400 }]) {
      for (let t = Date.UTC(2026, 10, 28); t < Date.UTC(2026, 10, 30); t += 37_123) {
        const s = downloadSigning(new Date(t), config)
        const end = s.signedAt.getTime() + s.expiresSeconds * 1000
        expect(end - t).toBeGreaterThanOrEqual(config.ttlSeconds * 1000)
        expect(end - t).toBeLessThanOrEqual((config.ttlSeconds + config.urlWindowSeconds) * 1000)
        expect(s.expiresSeconds).toBeLessThanOrEqual(604_800)
      }
    }
  })

  it('without a window signs at the current second for the TTL and sets no Cache-Control', () => {
    const s = downloadSigning(at('2026-11-28T10:07:31.250Z'), { ...download, urlWindowSeconds: 0 })
    expect(s).toEqual({ signedAt: at('2026-11-28T10:07:31.000Z'), expiresSeconds: 3600 })
  })
})
