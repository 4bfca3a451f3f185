// One page of a user's files, each with whether it has a preview. The files and the previews are
// two trees that sort alike (the preview of `<root><key>` is `<preview root><key>`), so both are
// listed at once from the same position (`start-after` the cursor's key) and paired by key: no extra
// round trip, and a file and its preview are paired even when they fall on different S3 pages.
import { previewKey, previewRoot } from '../keys'
import { LIST_MAX_KEYS } from '../s3/limits'
import { listObjects } from '../s3/objects'
import type { S3Settings } from '../s3/settings'
import type { ListedObject } from '../s3/xml'

export type FilePage = {
  /** The page's files (full keys), in S3's order, each with its preview's full key when it has one. */
  files: (ListedObject & { preview: string | null })[]
  /** Whether S3 holds more files after the last one. */
  more: boolean
}

const encoder = new TextEncoder()

/** S3 orders keys by their UTF-8 bytes, which JavaScript's string order does not always follow. */
function utf8Before(a: string, b: string): boolean {
  const [x, y] = [encoder.encode(a), encoder.encode(b)]
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i]
  return x.length < y.length
}

/**
 * Lists up to `maxKeys` files under `root` after the full key `startAfter` (or from the start), and
 * which of them have a preview. Previews whose file is gone (orphans) may stand between; the
 * preview listing then continues until it has passed the page's last file.
 */
export async function listFilePage(
  s3: S3Settings,
  { root, startAfter, maxKeys }: { root: string; startAfter?: string; maxKeys: number },
): Promise<FilePage> {
  const previews = previewRoot(root)
  const [page, firstPreviews] = await Promise.all([
    listObjects(s3, { prefix: root, maxKeys, startAfter }),
    listObjects(s3, { prefix: previews, maxKeys, startAfter: startAfter && previewKey(startAfter) }),
  ])
  const last = page.objects.at(-1)
  const held = new Set<string>()
  let previewPage = firstPreviews
  for (;;) {
    for (const o of previewPage.objects) held.add(o.key)
    const reached = previewPage.objects.at(-1)?.key
    if (!last || !previewPage.nextToken || !reached || !utf8Before(reached, previewKey(last.key))) break
    previewPage = await listObjects(s3, {
      prefix: previews,
      maxKeys: LIST_MAX_KEYS,
      continuationToken: previewPage.nextToken,
    })
  }
  return {
    files: page.objects.map((o) => ({ ...o, preview: held.has(previewKey(o.key)) ? previewKey(o.key) : null })),
    more: page.nextToken !== null,
  }
}
