// Establishes c.var.user from a verified token, or answers 401. Token sources, in order:
// `Authorization: Bearer`, Cloudflare Access's `Cf-Access-Jwt-Assertion` header and `CF_Authorization`
// cookie, then (local development only) the dev sign-in cookie. A present-but-bad token is refused,
// never skipped in favour of the next source.
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { userRoot } from '../keys'
import { verifyDevSession, verifyToken } from './tokens'

export const DEV_SESSION_COOKIE = 'bucketgate_dev'

export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    const config = c.var.config
    const authorization = c.req.header('Authorization')
    let subject: string | undefined
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
      if (!match) throw new ApiError(401, 'invalid_token', 'Authorization must be "Bearer <token>"')
      subject = await verifyToken(match[1], config.auth)
    } else {
      const access = c.req.header('Cf-Access-Jwt-Assertion') ?? getCookie(c, 'CF_Authorization')
      const dev = config.auth.devSignIn ? getCookie(c, DEV_SESSION_COOKIE) : undefined
      if (access) subject = await verifyToken(access, config.auth)
      else if (dev && config.auth.devSessionSecret) subject = await verifyDevSession(dev, config.auth.devSessionSecret)
    }
    if (!subject) throw new ApiError(401, 'unauthenticated', 'Sign in first')
    c.set('user', { id: subject, root: userRoot(config.userPrefix, subject) })
    await next()
  }
}
