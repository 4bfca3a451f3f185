// Signed URLs remembered per isolate for one signing instant. Within a download window every list
// URL is signed at the window's start (download-window.ts), so a repeated listing (a reload, paging
// back) signs nothing again: a lookup instead of a SHA-256 and an HMAC. Entries are keyed by every
// input of the signature (injectively, as JSON), so no request can be handed another's URL.
import type { Config } from '../config'
import type { Presigner } from './presign'

/** At most this many URLs (about 0.7 KB each, so ~7 MB of an isolate's 128 MB); then start over. */
const MAX_URLS = 10_000

const memos = new WeakMap<Config['s3'], { datetime: string; urls: Map<string, string> }>()

/** `presigner`, remembering the URLs it signs (those without signed headers) for its instant. */
export function rememberingPresigner(s3: Config['s3'], presigner: Presigner): Presigner {
  let memo = memos.get(s3)
  if (memo?.datetime !== presigner.datetime) {
    memo = { datetime: presigner.datetime, urls: new Map() }
    memos.set(s3, memo)
  }
  const { urls } = memo
  return {
    datetime: presigner.datetime,
    async sign(req) {
      if (req.headers !== undefined) return presigner.sign(req)
      const id = JSON.stringify([req.method, req.expiresSeconds, req.key, req.query ? Object.entries(req.query) : null])
      let url = urls.get(id)
      if (url === undefined) {
        url = await presigner.sign(req)
        if (urls.size >= MAX_URLS) urls.clear()
        urls.set(id, url)
      }
      return url
    },
  }
}
