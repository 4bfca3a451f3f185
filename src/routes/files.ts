// The caller's files: list (with presigned GET URLs), download (302 to a fresh presigned URL) and
// delete. Every key from the client goes through resolveKey, so it can only name the caller's own.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError, S3Error } from '../errors'
import { relativeKey, resolveKey } from '../keys'
import { decodeCursor, encodeCursor } from '../downloads/list-cursor'
import { downloadSigner } from '../downloads/signer'
import { displayName } from '../uploads/object-names'
import { LIST_MAX_KEYS } from '../s3/limits'
import { deleteObject, listObjects, objectExists } from '../s3/objects'
import { validate } from '../util/validate'

const DEFAULT_PAGE = 100

const ListQuery = v.object({
  cursor: v.optional(v.string()),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(LIST_MAX_KEYS, `must be at most ${LIST_MAX_KEYS}`),
    ),
  ),
})

/** The raw path after /api/files/, percent-decoded exactly once. */
function keyFromPath(url: string): string {
  const raw = new URL(url).pathname.replace(/^\/api\/files\//, '')
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new ApiError(400, 'invalid_key', 'The key is not valid percent-encoding')
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
    const key = resolveKey(user.root, keyFromPath(c.req.url))
    // `?download` asks for an attachment even for an image (the page's Download link; a
    // cross-origin redirect makes browsers ignore <a download>).
    const inlineTypes = c.req.query('download') === undefined ? config.download.inlineTypes : []
    const [url] = await downloadSigner(config, new Date(), { windowed: false, inlineTypes })([key])
    return c.redirect(url, 302)
  })
  .delete('/*', async (c) => {
    const { config, user } = c.var
    const key = resolveKey(user.root, keyFromPath(c.req.url))
    // S3's DeleteObject answers 204 whether or not the key existed; look first so 404 means gone.
    if (!(await objectExists(config.s3, key))) throw new ApiError(404, 'not_found', 'No such file')
    await deleteObject(config.s3, key)
    return c.body(null, 204)
  })
