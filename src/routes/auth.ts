// Sign-in for local development: a typed user name becomes a signed, HttpOnly, SameSite=Strict
// session cookie. Only exists when DEV_SIGNIN is on, and the app refuses to serve at all with
// DEV_SIGNIN on a non-loopback host (see index.ts), so it can never be reached in production.
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { sign } from 'hono/jwt'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { DEV_SESSION_COOKIE } from '../auth/middleware'
import { DEV_ISSUER } from '../auth/tokens'
import { validate } from '../util/validate'

/** How long a dev session lasts, in seconds (12 hours). */
const DEV_SESSION_SECONDS = 12 * 3600

const DevSignIn = v.object({
  name: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.toLowerCase(),
    v.regex(
      /^[a-z0-9][a-z0-9._-]{0,63}$/,
      'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ),
  ),
})

export const authRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.json({ devSignIn: c.var.config.auth.devSignIn }))
  .post('/dev', validate('json', DevSignIn), async (c) => {
    const { auth } = c.var.config
    if (!auth.devSignIn || !auth.devSessionSecret) throw new ApiError(404, 'not_found', 'Dev sign-in is off')
    const { name } = c.req.valid('json')
    const now = Math.floor(Date.now() / 1000)
    const claims = { sub: name, iss: DEV_ISSUER, aud: DEV_ISSUER, iat: now, exp: now + DEV_SESSION_SECONDS }
    const token = await sign(claims, auth.devSessionSecret, 'HS256')
    setCookie(c, DEV_SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: DEV_SESSION_SECONDS,
    })
    return c.json({ id: name })
  })
  .delete('/dev', (c) => {
    deleteCookie(c, DEV_SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
