// bucketgate: hands browsers short-lived S3 signatures for their own files, never the bytes.
// Assembly only: global middleware, the /api mounts, static assets, and the error handlers.
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { requestId } from 'hono/request-id'
import type { AppEnv } from './env'
import { readConfig } from './config'
import { ApiError, errorBody, toErrorResponse } from './errors'
import { isLoopbackUrl } from './auth/loopback'
import { requireUser } from './auth/middleware'
import { securityHeaders } from './security-headers'
import { authRoutes } from './routes/auth'
import { meRoutes } from './routes/me'
import { uploadRoutes } from './routes/uploads'
import { fileRoutes } from './routes/files'

/** Largest JSON body the API reads, in bytes. */
const MAX_API_BODY_BYTES = 16 * 1024

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

app.use(
  '/api/*',
  // API bodies are a few hundred bytes of JSON; file bytes never come here.
  bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${MAX_API_BODY_BYTES} bytes`)
    },
  }),
)
app.use('/api/*', csrfUnlessBearer(), async function noStore(c, next) {
  await next()
  c.header('Cache-Control', 'no-store')
})
app.route('/api/auth', authRoutes)
app.use('/api/me', requireUser())
app.use('/api/uploads/*', requireUser())
app.use('/api/files/*', requireUser())
app.route('/api/me', meRoutes)
app.route('/api/uploads', uploadRoutes)
app.route('/api/files', fileRoutes)
app.all('/api/*', (c) => c.json(errorBody('not_found', 'No such API route'), 404))

// Everything else is the static gallery page (run_worker_first: the Worker adds the headers).
app.all('*', async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw)
  // Asset responses have immutable headers; copy so the security headers can be added.
  return new Response(asset.body, asset)
})

app.onError(toErrorResponse)

export default app
