// The caller's files: list (with presigned GET URLs, and their previews' as thumbnailUrl), download
// (302 to a fresh presigned URL) and delete (the preview too). Every key from the client goes through
// resolveKey, so it can only name the caller's own.
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { previewKey, relativeKey, resolveKey } from '../keys'
import { decodeCursor, encodeCursor } from '../downloads/list-cursor'
import { listFilePage } from '../downloads/file-page'
import { downloadSigner } from '../downloads/signer'
import { displayName } from '../uploads/object-names'
import { LIST_MAX_KEYS } from '../s3/limits'
import { deleteObject, objectExists } from '../s3/objects'
import { validate } from '../util/validate'
import { audit } from '../util/audit'
import { ledgerFor } from '../ledger/client'

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
 * The full key a cursor continues after; one that is not a valid key is not one we handed out.
 * Validated like any key, but joined as it came: a listed key may not be NFC, and start-after must
 * be that exact key. It only positions a listing whose prefix is the caller's root either way.
 */
function cursorKey(root: string, cursor: string): string {
  try {
    const relative = decodeCursor(cursor)
    resolveKey(root, relative)
    return root + relative
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this service handed out')
  }
}

export const fileRoutes = new Hono<AppEnv>()
  .get('/', validate('query', ListQuery), async (c) => {
    const { config, user } = c.var
    const { cursor, limit } = c.req.valid('query')
    const startAfter = cursor ? cursorKey(user.root, cursor) : undefined
    const page = await listFilePage(config.s3, { root: user.root, startAfter, maxKeys: limit ?? DEFAULT_PAGE })
    const now = new Date()
    const withPreview = page.files.filter((f) => f.preview !== null)
    const [urls, thumbnailUrls] = await Promise.all([
      downloadSigner(config, now, { windowed: true })(page.files.map((f) => f.key)),
      downloadSigner(config, now, { windowed: true, previews: true })(withPreview.map((f) => f.preview as string)),
    ])
    const thumbnailOf = new Map(withPreview.map((f, i) => [f.key, thumbnailUrls[i]]))
    const files = page.files.map((o, i) => {
      const key = relativeKey(user.root, o.key)
      const file = {
        key,
        name: displayName(key),
        size: o.size,
        lastModified: o.lastModified,
        etag: o.etag,
        url: urls[i],
      }
      const thumbnailUrl = thumbnailOf.get(o.key)
      return thumbnailUrl ? { ...file, thumbnailUrl } : file
    })
    const last = files.at(-1)
    return c.json({ files, cursor: page.more && last ? encodeCursor(last.key) : null })
  })
  .get('/*', async (c) => {
    const { config, user } = c.var
    const key = resolveKey(user.root, keyFromPath(c))
    // `?download` asks for an attachment even for an image (the page's Download link; a
    // cross-origin redirect makes browsers ignore <a download>).
    const inlineTypes = c.req.query('download') === undefined ? config.download.inlineTypes : []
    const [url] = await downloadSigner(config, new Date(), { windowed: false, inlineTypes })([key])
    audit('download', { user: user.id, key: relativeKey(user.root, key), requestId: c.var.requestId })
    return c.redirect(url, 302)
  })
  .delete('/*', async (c) => {
    const { config, user } = c.var
    const key = resolveKey(user.root, keyFromPath(c))
    const ledger = ledgerFor(c)
    // S3's DeleteObject answers 204 whether or not the key existed; look first so 404 means gone.
    if (!(await objectExists(config.s3, key))) {
      // A retry after the ledger missed the first delete still releases the size.
      await ledger?.release([key])
      throw new ApiError(404, 'not_found', 'No such file')
    }
    // The preview goes with its file (S3 answers a missing one with 204 too).
    await Promise.all([deleteObject(config.s3, key), deleteObject(config.s3, previewKey(key))])
    await ledger?.release([key])
    audit('delete', { user: user.id, key: relativeKey(user.root, key), requestId: c.var.requestId })
    return c.body(null, 204)
  })
