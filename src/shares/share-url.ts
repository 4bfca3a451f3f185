// A share's public address: the page's origin (APP_ORIGIN, or the request's), the path the gateway
// is mounted at (its share pages are at <mount>/s/<id>) and the id, nothing else.
import type { Config } from '../config'

export function shareUrl(config: Config, requestUrl: string, mount: string, id: string): string {
  return `${config.appOrigin ?? new URL(requestUrl).origin}${mount}/s/${id}`
}
