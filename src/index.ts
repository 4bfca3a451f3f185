// bucketgate: hands browsers short-lived S3 signatures for their own files, never the bytes.
// Assembly only: global middleware, the /api mounts, static assets, and the error handlers.
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { requestId } from 'hono/request-id'
import type { AppEnv } from './env'
import { readConfig } from './config'
import { ApiError, errorBody, toErrorResponse } from './errors'
import { isLoopbackUrl } from './util/loopback'
import { requireUser } from './auth/middleware'
import { requireAdmin } from './auth/admin'
import { securityHeaders } from './security-headers'
import { rateLimit } from './rate-limit'
import { authRoutes } from './routes/auth'
import { adminRoutes } from './routes/admin'
import { meRoutes } from './routes/me'
import { uploadRoutes } from './routes/uploads'
import { fileRoutes } from './routes/files'
import { multipartRoutes } from './routes/multipart'

/** Largest JSON body the API reads, in bytes. */
const MAX_API_BODY_BYTES = 16 * 1024
/** Completing a multipart upload lists up to 10,000 part ETags (about 60 bytes each). */
const MAX_COMPLETE_BODY_BYTES = 1024 * 1024

const app = new Hono<AppEnv>()

/** Cookies ride along on cross-site requests, bearer tokens do not: only the former need CSRF checks. */
function csrfUnlessBearer(): MiddlewareHandler<AppEnv> {
  const check = csrf()
  return async function csrfUnlessBearer(c, next) {
    if (c.req.header('Authorization')) return next()
    return check(c, next)
  }
}

app.use(requestId())
app.use(async function loadConfig(c, next) {
  const config = readConfig(c.env)
  // Dev sign-in trusts a typed name: refuse to serve anything with it on outside loopback.
  if (config.auth.devSignIn && !isLoopbackUrl(c.req.url)) {
    throw new ApiError(
      403,
      'dev_signin_not_allowed',
      'DEV_SIGNIN is on, which is only allowed on localhost; turn it off for this deployment',
    )
  }
  c.set('config', config)
  await next()
})
app.use(securityHeaders())

/** API bodies are a few hundred bytes of JSON; file bytes never come here. */
function apiBodyLimit(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${maxSize} bytes`)
    },
  })
}
const smallBodies = apiBodyLimit(MAX_API_BODY_BYTES)
const completeBodies = apiBodyLimit(MAX_COMPLETE_BODY_BYTES)
app.use('/api/*', async function limitBody(c, next) {
  const completing = c.req.method === 'POST' && /^\/api\/multipart\/[^/]+\/complete$/.test(c.req.path)
  return (completing ? completeBodies : smallBodies)(c, next)
})
app.use('/api/*', csrfUnlessBearer(), async function noStore(c, next) {
  await next()
  c.header('Cache-Control', 'no-store')
})
app.route('/api/auth', authRoutes)
app.use('/api/admin/*', requireAdmin())
app.route('/api/admin', adminRoutes)
app.use('/api/me', requireUser())
app.use('/api/uploads/*', requireUser())
app.use('/api/files/*', requireUser())
app.use('/api/multipart/*', requireUser())
app.use('/api/*', rateLimit('API_LIMITER', 'requests'))
app.on('POST', ['/api/uploads', '/api/multipart'], rateLimit('TICKET_LIMITER', 'upload tickets'))
app.route('/api/me', meRoutes)
app.route('/api/uploads', uploadRoutes)
app.route('/api/files', fileRoutes)
app.route('/api/multipart', multipartRoutes)
app.all('/api/*', (c) => c.json(errorBody('not_found', 'No such API route'), 404))

// The page (/, the only asset path that runs the Worker: run_worker_first in wrangler.jsonc), with
// the security headers; scripts and styles are served as static assets without the Worker.
app.all('*', async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw)
  // Asset responses have immutable headers; copy so the security headers can be added.
  return new Response(asset.body, asset)
})

app.onError(toErrorResponse)

export default app

// Durable Object classes are exported from the Worker's main module.
export { UserLedger } from './ledger/user-ledger'
