// The download URLs the list and the redirect hand out: presigned GETs carrying the download's
// Content-Disposition and cache rules. A preview's URL always serves it as an inline WebP image,
// whatever its stored metadata says, so bytes sent as a preview can only ever show as an image.
import type { Config } from '../config'
import { createPresigner } from '../signing/presign'
import { displayName } from '../uploads/object-names'
import { downloadOverrides } from './content-disposition'
import { downloadSigning } from './download-window'
import { urlMemo } from './url-memo'

const PREVIEW_OVERRIDES = { 'response-content-disposition': 'inline', 'response-content-type': 'image/webp' }

/**
 * Signs download URLs, many at once: one presigner (one derived key) per request. `windowed` URLs
 * (the list's thumbnails) repeat within DOWNLOAD_URL_WINDOW_SECONDS, may be cached by browsers and
 * are remembered per isolate; the others are signed at this second. S3 answers a request without
 * Origin with no CORS headers and no `Vary: Origin`, so a cached <img> response would break a later
 * fetch() of the same URL: the redirect (the page's Open and Download, which it may fetch)
 * therefore never shares the list's URLs. `ttlSeconds` overrides DOWNLOAD_TTL_SECONDS (share links
 * hand out URLs that are followed at once).
 */
export function downloadSigner(
  config: Config,
  now: Date,
  {
    windowed,
    previews = false,
    inlineTypes = config.download.inlineTypes,
    ttlSeconds = config.download.ttlSeconds,
  }: { windowed: boolean; previews?: boolean; inlineTypes?: string[]; ttlSeconds?: number },
): (keys: string[]) => Promise<string[]> {
  const download = { ...config.download, ttlSeconds, ...(windowed ? {} : { urlWindowSeconds: 0 }) }
  const { signedAt, expiresSeconds, cacheControl } = downloadSigning(now, download)
  const signAll = async (keys: string[]) => {
    const presigner = await createPresigner(config.s3, signedAt)
    return presigner.signAll(
      keys.map((key) => {
        const query = previews ? { ...PREVIEW_OVERRIDES } : downloadOverrides(displayName(key), inlineTypes)
        if (cacheControl) query['response-cache-control'] = cacheControl
        return { method: 'GET', key, expiresSeconds, query }
      }),
    )
  }
  if (download.urlWindowSeconds === 0) return signAll
  // Windowed URLs repeat until the window ends: sign each once per isolate. The scope names every
  // input of the URL but the key (the S3 settings are the memo's own).
  const memo = urlMemo(
    config.s3,
    JSON.stringify([signedAt.getTime(), expiresSeconds, cacheControl, previews ? 'preview' : inlineTypes]),
  )
  return async (keys) => {
    const urls = keys.map((key) => memo.get(key))
    const missing = keys.filter((_, i) => urls[i] === undefined)
    if (missing.length === 0) return urls as string[]
    const signed = await signAll(missing)
    let next = 0
    return urls.map((url, i) => {
      if (url !== undefined) return url
      memo.remember(keys[i], signed[next])
      return signed[next++]
    })
  }
}
