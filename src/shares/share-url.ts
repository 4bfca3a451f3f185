// A share's public address: the page's origin (APP_ORIGIN, or the request's) and the id, nothing else.
import type { Config } from '../config'

export function shareUrl(config: Config, requestUrl: string, id: string): string {
  return `${config.appOrigin ?? new URL(requestUrl).origin}/s/${id}`
}
