// The list's download URLs remembered per isolate. Within a download window every list URL is
// signed at the window's start (download-window.ts), so a repeated listing (a reload, paging back)
// signs nothing again: a lookup by object key instead of the overrides, a SHA-256 and an HMAC. A
// memo holds one `scope` at a time: a string naming every input of the signature but the key (the
// signing instant, the expiry, the settings the overrides come from), so a URL is only ever handed
// out for the exact request it was signed for; another scope (the next window) starts over.
import type { Config } from '../config'
import { BoundedCache } from '../util/bounded-cache'

/** At most this many URLs (about 0.7 KB each, so ~7 MB of an isolate's 128 MB); then the oldest go. */
const MAX_URLS = 10_000

export type UrlMemo = {
  get(key: string): string | undefined
  remember(key: string, url: string): void
}

const memos = new WeakMap<Config['s3'], { scope: string; urls: BoundedCache<string, string> }>()

/** The URLs remembered for `s3` in `scope`, by full object key. */
export function urlMemo(s3: Config['s3'], scope: string): UrlMemo {
  let memo = memos.get(s3)
  if (memo?.scope !== scope) {
    memo = { scope, urls: new BoundedCache(MAX_URLS) }
    memos.set(s3, memo)
  }
  const { urls } = memo
  return {
    get: (key) => urls.get(key),
    remember: (key, url) => void urls.set(key, url),
  }
}
