// Cache-friendly download URLs. Within one window (DOWNLOAD_URL_WINDOW_SECONDS) every download URL
// for a key is signed at the window's start, so the same key gives the same URL and a reloaded page
// gets its images from the browser cache. The expiry covers the window plus the TTL, so a URL handed
// out at the window's last second still lives DOWNLOAD_TTL_SECONDS.
import type { Config } from '../config'

export type DownloadSigning = {
  /** The X-Amz-Date to sign with: the window's start (or now, to the second, without a window). */
  signedAt: Date
  expiresSeconds: number
  /** S3 answers with this Cache-Control (signed in as response-cache-control), if any. */
  cacheControl?: string
}

export function downloadSigning(now: Date, download: Config['download']): DownloadSigning {
  const { urlWindowSeconds: window, ttlSeconds } = download
  const nowSeconds = Math.floor(now.getTime() / 1000)
  if (window === 0) return { signedAt: new Date(nowSeconds * 1000), expiresSeconds: ttlSeconds }
  const start = nowSeconds - (nowSeconds % window)
  return {
    signedAt: new Date(start * 1000),
    // config.ts keeps window + TTL within SigV4's 7 days.
    expiresSeconds: window + ttlSeconds,
    // Keys are never reused for other bytes (server-chosen, unique), so the bytes at a URL never
    // change. `private`: no shared cache may keep a user's file; no longer than the TTL it was asked for.
    cacheControl: `private, max-age=${ttlSeconds}, immutable`,
  }
}
