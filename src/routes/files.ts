// The caller's files: list (with presigned GET URLs), download (302 to a fresh presigned URL) and
// delete. Every key from the client goes through resolveKey, so it can only name the caller's own.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError, S3Error } from '../errors'
import { relativeKey, resolveKey } from '../keys'
import { decodeCursor, encodeCursor } from '../list-cursor'
import { displayName } from '../object-names'
import { deleteObject, listObjects, objectExists } from '../s3/objects'
import { downloadOverrides } from '../signing/content-disposition'
import { downloadSigning } from '../signing/download-window'
import { createPresigner } from '../signing/presign'
import { urlMemo } from '../signing/url-memo'
import { validate } from '../validate'
import type { Config } from '../config'

/** S3's ListObjectsV2 returns at most 1,000 keys a page. */
const MAX_PAGE = 1000
const DEFAULT_PAGE = 100

const ListQuery = v.object({
  cursor: v.optional(v.string()),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(MAX_PAGE, `must be at most ${MAX_PAGE}`),
    ),
  ),
})

/** The raw path after this route's own prefix (wherever the API is mounted), percent-decoded exactly once. */
function keyFromPath(c: Context): string {
  const prefix = c.req.routePath.replace(/\*$/, '')
  const raw = new URL(c.req.url).pathname.slice(prefix.length)
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new ApiError(400, 'invalid_key', 'The key is not valid percent-encoding')
  }
}

/**
 * Signs download URLs, many at once: one presigner (one derived key) per request. `windowed` URLs
 * (the list's thumbnails) repeat within DOWNLOAD_URL_WINDOW_SECONDS, may be cached by browsers and
 * are remembered per isolate; the others are signed at this second. S3 answers a request without
 * Origin with no CORS headers and no `Vary: Origin`, so a cached <img> response would break a later
 * fetch() of the same URL: the redirect (the page's Open and Download, which it may fetch)
 * therefore never shares the list's URLs.
 */
function downloadSigner(
  config: Config,
  now: Date,
  { windowed, inlineTypes = config.download.inlineTypes }: { windowed: boolean; inlineTypes?: string[] },
): (keys: string[]) => Promise<string[]> {
  const download = windowed ? config.download : { ...config.download, urlWindowSeconds: 0 }
  const { signedAt, expiresSeconds, cacheControl } = downloadSigning(now, download)
  const signAll = async (keys: string[]) => {
    const presigner = await createPresigner(config.s3, signedAt)
    return presigner.signAll(
      keys.map((key) => {
        const query = downloadOverrides(displayName(key), inlineTypes)
        if (cacheControl) query['response-cache-control'] = cacheControl
        return { method: 'GET', key, expiresSeconds, query }
      }),
    )
  }
  if (download.urlWindowSeconds === 0) return signAll
  // Windowed URLs repeat until the window ends: sign each once per isolate. The scope names every
  // input of the URL but the key (the S3 settings are the memo's own).
  const memo = urlMemo(config.s3, JSON.stringify([signedAt.getTime(), expiresSeconds, cacheControl, inlineTypes]))
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

export const fileRoutes = new Hono<AppEnv>()
  .get('/', validate('query', ListQuery), async (c) => {
    const { config, user } = c.var
    const { cursor, limit } = c.req.valid('query')
    let page
    try {
      page = await listObjects(config.s3, {
        prefix: user.root,
        maxKeys: limit ?? DEFAULT_PAGE,
        continuationToken: cursor ? decodeCursor(cursor) : undefined,
      })
    } catch (err) {
      // A forged or stale token is the client's mistake, not a storage failure.
      if (err instanceof S3Error && err.status === 400 && cursor) {
        throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
      }
      throw err
    }
    const urls = await downloadSigner(config, new Date(), { windowed: true })(page.objects.map((o) => o.key))
    const files = page.objects.map((o, i) => {
      const key = relativeKey(user.root, o.key)
      return { key, name: displayName(key), size: o.size, lastModified: o.lastModified, etag: o.etag, url: urls[i] }
    })
    return c.json({ files, cursor: page.nextToken ? encodeCursor(page.nextToken) : null })
  })
  .get('/*', async (c) => {
    const { config, user } = c.var
    const key = resolveKey(user.root, keyFromPath(c))
    // `?download` asks for an attachment even for an image (the page's Download link; a
    // cross-origin redirect makes browsers ignore <a download>).
    const inlineTypes = c.req.query('download') === undefined ? config.download.inlineTypes : []
    const [url] = await downloadSigner(config, new Date(), { windowed: false, inlineTypes })([key])
    return c.redirect(url, 302)
  })
  .delete('/*', async (c) => {
    const { config, user } = c.var
    const key = resolveKey(user.root, keyFromPath(c))
    // S3's DeleteObject answers 204 whether or not the key existed; look first so 404 means gone.
    if (!(await objectExists(config.s3, key))) throw new ApiError(404, 'not_found', 'No such file')
    await deleteObject(config.s3, key)
    return c.body(null, 204)
  })
