// Per-user rate limits through the Workers Rate Limiting binding, keyed by the verified user's root.
// A deployment without the binding has no such limit. Over the limit: 429 `rate_limited` with Retry-After.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv, Bindings } from './env'
import { ApiError } from './errors'

/** The binding does not say its period; 60 s is the longest one it allows, so waiting that long is enough. */
const RETRY_AFTER_SECONDS = 60

export function rateLimit(binding: 'TICKET_LIMITER' | 'API_LIMITER', what: string): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limiter = (c.env as Bindings)[binding]
    const user = c.var.user
    if (limiter && user) {
      const { success } = await limiter.limit({ key: user.root })
      if (!success) {
        c.header('Retry-After', String(RETRY_AFTER_SECONDS))
        throw new ApiError(429, 'rate_limited', `Too many ${what}; wait ${RETRY_AFTER_SECONDS} seconds and try again`)
      }
    }
    await next()
  }
}
