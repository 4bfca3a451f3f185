// The operator's door to admin routes: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
// time. Without ADMIN_TOKEN the admin routes do not exist (404), so a default deployment has none.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env'
import { ApiError, errorBody } from '../errors'

const encoder = new TextEncoder()

async function digest(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(s))
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const expected = c.var.config.adminToken
    if (!expected) return c.json(errorBody('not_found', 'No such API route'), 404)
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')
    // Equal-length digests, so timingSafeEqual never leaks the token's length either.
    const [given, wanted] = await Promise.all([digest(match?.[1] ?? ''), digest(expected)])
    if (!match || !crypto.subtle.timingSafeEqual(given, wanted)) {
      throw new ApiError(401, 'unauthenticated', 'Admin routes need Authorization: Bearer <ADMIN_TOKEN>')
    }
    await next()
  }
}
