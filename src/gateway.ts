// createGateway: bucketgate as a Hono app a host Worker mounts (`app.route('/files', createGateway())`);
// bucketgate's own Worker (index.ts) is one such consumer. Assembly only: global middleware, the API
// mounts, the page, the error handlers. Nothing in here names the path it is mounted at.
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { requestId } from 'hono/request-id'
import { basePath } from 'hono/route'
import type { AppEnv, Bindings } from './env'
import { configPerEnv, parseConfig, type Config, type SettingsBindings } from './config'
import { ApiError, errorBody, toErrorResponse } from './errors'
import { isLoopbackUrl } from './util/loopback'
import { hostUser, type GetUser } from './auth/host-user'
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
import { companionErrors } from './uppy/companion-errors'
import { uppyRoutes } from './routes/uppy'
import { shareRoutes } from './routes/shares'
import { sharePageRoutes } from './routes/share-page'
import { uploadCompletedEvent, withEtag, type UploadCompletedEvent } from './uploads/upload-events'

export type { GetUser, UploadCompletedEvent }
/** A host that wants quotas and webhooks exports this class and binds it as LEDGER (docs/mounting.md). */
export { UserLedger } from './ledger/user-ledger'

/** Largest JSON body the API reads, in bytes. */
const MAX_API_BODY_BYTES = 16 * 1024
/** Completing a multipart upload lists up to 10,000 part ETags (about 60 bytes each). */
const MAX_COMPLETE_BODY_BYTES = 1024 * 1024

/** bucketgate's settings by their env names (S3_ENDPOINT, UPLOAD_MAX_BYTES, ...), as strings. */
export type Settings = SettingsBindings

export type GatewayOptions = {
  /**
   * The settings, validated like the env (a bad one is named in the error). An object is checked
   * once, here; a function of the host's env is checked once per env. Default: the host's env itself.
   */
  settings?: Settings | ((env: Bindings) => Settings)
  /** The host's own identity instead of bucketgate's token handling: the caller's id, or null (401). */
  getUser?: GetUser
  /**
   * Called with the `upload.completed` event when the Worker learns a file arrived (beside the
   * webhook); it runs after the answer, and a throw is logged, never answered.
   */
  onUploadCompleted?: (event: UploadCompletedEvent) => void | Promise<void>
  /** Serve the gallery page from the host's ASSETS binding below the mount (default true). */
  page?: boolean
}

/** How each request finds its settings: parsed once per settings object or env, errors kept. */
function configSource(options: GatewayOptions): (env: Bindings) => Config {
  const requireAuth = !options.getUser
  const parse = (settings: object) => parseConfig(settings as Record<string, unknown>, { requireAuth })
  const { settings } = options
  if (settings && typeof settings === 'object') {
    const config = parse(settings)
    return () => config
  }
  return configPerEnv((env) => parse(typeof settings === 'function' ? settings(env as Bindings) : env))
}

/** c.var.uploadCompleted: hands the event to the host's hook, after the answer where the runtime allows. */
function announceUploads(hook: GatewayOptions['onUploadCompleted']): MiddlewareHandler<AppEnv> {
  return async function announceUploads(c, next) {
    c.set('uploadCompleted', (file) => {
      if (!hook) return
      const { config, user } = c.var
      const at = new Date()
      const run = (async () => hook(uploadCompletedEvent(user, await withEtag(config.s3, file), at)))().catch((err) => {
        console.error(
          JSON.stringify({ hook: 'onUploadCompleted', key: file.key.slice(user.root.length), error: String(err) }),
        )
      })
      try {
        c.executionCtx.waitUntil(run)
      } catch {
        // No ExecutionContext (app.request in tests): the promise still runs.
      }
    })
    await next()
  }
}

/** Cookies ride along on cross-site requests, bearer tokens do not: only the former need CSRF checks. */
function csrfUnlessBearer(): MiddlewareHandler<AppEnv> {
  const check = csrf()
  return async function csrfUnlessBearer(c, next) {
    if (c.req.header('Authorization')) return next()
    return check(c, next)
  }
}

/** API bodies are a few hundred bytes of JSON; file bytes never come here. */
function apiBodyLimit(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${maxSize} bytes`)
    },
  })
}

/** The request's path below the mount: `/files/api/me` → `/api/me` when mounted at /files. */
function pathBelowMount(c: Context<AppEnv>): string {
  return c.req.path.slice(c.var.mount.length) || '/'
}

export function createGateway(options: GatewayOptions = {}): Hono<AppEnv> {
  const configFor = configSource(options)
  const identify = options.getUser ? hostUser(options.getUser) : requireUser()
  const smallBodies = apiBodyLimit(MAX_API_BODY_BYTES)
  const completeBodies = apiBodyLimit(MAX_COMPLETE_BODY_BYTES)
  const app = new Hono<AppEnv>()

  app.use(requestId())
  app.use(async function findMount(c, next) {
    // A gateway-level route's base is the host's mount, its parameters filled in from this request.
    c.set('mount', basePath(c).replace(/\/$/, ''))
    await next()
  })
  app.use('/api/uppy/*', companionErrors())
  app.use(async function loadConfig(c, next) {
    const config = configFor(c.env)
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
  app.use(announceUploads(options.onUploadCompleted))
  app.use('/api/*', async function limitBody(c, next) {
    const completing = c.req.method === 'POST' && /\/multipart\/[^/]+\/complete$/.test(c.req.path)
    return (completing ? completeBodies : smallBodies)(c, next)
  })
  app.use('/api/*', csrfUnlessBearer(), async function noStore(c, next) {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  if (!options.getUser) app.route('/api/auth', authRoutes)
  app.use('/api/admin/*', requireAdmin())
  app.route('/api/admin', adminRoutes)
  for (const path of [
    '/api/me',
    '/api/uploads/*',
    '/api/files/*',
    '/api/multipart/*',
    '/api/uppy/*',
    '/api/shares/*',
  ]) {
    app.use(path, identify)
  }
  app.use('/api/*', rateLimit('API_LIMITER', 'requests'))
  const tickets = rateLimit('TICKET_LIMITER', 'upload tickets')
  app.on('POST', ['/api/uploads', '/api/multipart', '/api/uppy/s3/multipart'], tickets)
  app.get('/api/uppy/s3/params', tickets)
  app.route('/api/me', meRoutes)
  app.route('/api/uploads', uploadRoutes)
  app.route('/api/files', fileRoutes)
  app.route('/api/multipart', multipartRoutes)
  app.route('/api/uppy', uppyRoutes)
  app.route('/api/shares', shareRoutes)
  app.all('/api/*', (c) => c.json(errorBody('not_found', 'No such API route'), 404))

  // Share links' public pages: no sign-in, same security headers (docs/security.md, share links).
  app.route('/s', sharePageRoutes)

  if (options.page !== false) {
    // The page's own files, looked up below the mount; its links are relative, so `/files` needs its slash.
    app.all('*', async (c) => {
      const below = pathBelowMount(c)
      if (below === '/' && !c.req.path.endsWith('/')) return c.redirect(`${c.req.path}/`, 308)
      const url = new URL(c.req.url)
      url.pathname = below
      const asset = await c.env.ASSETS.fetch(new Request(url, c.req.raw))
      // Asset responses have immutable headers; copy so the security headers can be added.
      return new Response(asset.body, asset)
    })
  }

  app.onError(toErrorResponse)
  return app
}
