// Reads and validates the Worker's settings once per env object. A bad or missing setting becomes a
// ConfigError that names it; the app answers every request with that error instead of crashing.
import * as v from 'valibot'
import { ConfigError } from './errors'
import {
  OBJECT_MAX_BYTES,
  PART_MAX_BYTES,
  PART_MIN_BYTES,
  PRESIGN_MAX_EXPIRES_SECONDS,
  SINGLE_UPLOAD_MAX_BYTES,
} from './s3/limits'
import type { S3Settings } from './s3/settings'
import { needsPathStyle } from './s3/urls'
import { isLoopbackUrl } from './util/loopback'

const MiB = 1024 ** 2

/** Image types a browser renders without running code; SVG and HTML can carry script, so never inline. */
const NEVER_INLINE = new Set(['image/svg+xml', 'text/html', 'application/xhtml+xml', 'text/xml'])

const int = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  )

const flag = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.picklist(['true', 'false', '1', '0', ''], 'must be true or false'),
  v.transform((s) => s === 'true' || s === '1'),
)

const mimeList = v.pipe(
  v.string(),
  v.transform((s) =>
    s
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  ),
  v.check((types) => types.length > 0, 'must name at least one type'),
  v.check(
    (types) => types.every((t) => /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/.test(t)),
    'must be a comma-separated list of type/subtype (wildcards like image/* allowed)',
  ),
)

const httpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('must be a URL'),
  // Checks in a pipe still run after v.url fails, so they must not assume a parsable URL.
  v.check((s) => /^https?:\/\//i.test(s), 'must be http or https'),
)

/** The S3 endpoint is an origin: the bucket goes in the host or the first path segment. */
const s3Endpoint = v.pipe(
  httpUrl,
  v.check((s) => !URL.canParse(s) || new URL(s).pathname === '/', 'must be an origin without a path'),
)

const required = (name: string) => v.pipe(v.string(`${name} is required`), v.trim(), v.nonEmpty(`${name} is required`))

/** Every setting, once: its name, how it is read and checked, and its default. */
const SettingsSchema = v.object({
  S3_ENDPOINT: s3Endpoint,
  S3_REGION: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]+$/, 'must be a region name like us-east-1')),
    'us-east-1',
  ),
  S3_BUCKET: v.pipe(
    required('S3_BUCKET'),
    v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name'),
  ),
  S3_ACCESS_KEY_ID: required('S3_ACCESS_KEY_ID'),
  S3_SECRET_ACCESS_KEY: required('S3_SECRET_ACCESS_KEY'),
  S3_FORCE_PATH_STYLE: v.optional(flag),
  S3_TIMEOUT_MS: v.optional(int(100, 120_000), '10000'),
  UPLOAD_MAX_BYTES: v.optional(int(1, OBJECT_MAX_BYTES), '10485760'),
  UPLOAD_MODE: v.optional(
    v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['post', 'put'], 'must be post or put')),
    'post',
  ),
  UPLOAD_PUT_IF_NONE_MATCH: v.optional(flag, 'true'),
  MULTIPART_THRESHOLD_BYTES: v.optional(int(PART_MIN_BYTES, SINGLE_UPLOAD_MAX_BYTES), String(100 * MiB)),
  MULTIPART_PART_BYTES: v.optional(int(PART_MIN_BYTES, PART_MAX_BYTES), String(8 * MiB)),
  MULTIPART_TTL_SECONDS: v.optional(int(600, PRESIGN_MAX_EXPIRES_SECONDS), '86400'),
  UPLOAD_ALLOWED_TYPES: v.optional(
    mimeList,
    'image/png,image/jpeg,image/gif,image/webp,image/avif,application/pdf,text/plain',
  ),
  UPLOAD_TTL_SECONDS: v.optional(int(10, 3600), '300'),
  // A preview (the page makes WebP of at most 480 px, typically 20–40 KB) is at most this many bytes.
  THUMBNAIL_MAX_BYTES: v.optional(int(1024, MiB), '131072'),
  DOWNLOAD_TTL_SECONDS: v.optional(int(10, PRESIGN_MAX_EXPIRES_SECONDS), '3600'),
  // 15 min: a gallery reopened within a quarter hour comes from the browser cache, and a URL
  // lives at most 15 min longer than DOWNLOAD_TTL_SECONDS. 0 signs every URL at the current second.
  DOWNLOAD_URL_WINDOW_SECONDS: v.optional(int(0, 86_400), '900'),
  DOWNLOAD_INLINE_TYPES: v.optional(
    v.pipe(
      mimeList,
      v.check(
        (types) => types.every((t) => t.startsWith('image/') && !t.includes('*') && !NEVER_INLINE.has(t)),
        'may list only exact raster image types (never SVG or HTML)',
      ),
    ),
    'image/png,image/jpeg,image/gif,image/webp,image/avif',
  ),
  SHARE_MAX_TTL_SECONDS: v.optional(int(60, 365 * 86_400), String(7 * 86_400)),
  // A share's download is a redirect the browser follows at once: the URL behind it need not live long.
  SHARE_LINK_TTL_SECONDS: v.optional(int(10, 3600), '60'),
  APP_ORIGIN: v.optional(
    v.pipe(
      httpUrl,
      v.check(
        (s) => !URL.canParse(s) || new URL(s).origin === s.replace(/\/$/, ''),
        'must be an origin like https://files.example.com',
      ),
    ),
  ),
  USER_PREFIX: v.optional(
    v.pipe(v.string(), v.regex(/^([a-z0-9_-]+\/)*$/, 'must be empty or like users/ (lowercase segments ending in /)')),
    'users/',
  ),
  AUTH_JWT_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  AUTH_JWKS_URL: v.optional(
    v.pipe(
      httpUrl,
      // Keys fetched in the clear could be swapped in transit; plain http only for a local issuer.
      v.check(
        (s) => s.startsWith('https://') || (URL.canParse(s) && isLoopbackUrl(s)),
        'must be https (http only on localhost)',
      ),
    ),
  ),
  AUTH_ISSUER: v.optional(v.pipe(v.string(), v.nonEmpty())),
  AUTH_AUDIENCE: v.optional(v.pipe(v.string(), v.nonEmpty())),
  DEV_SIGNIN: v.optional(flag, 'false'),
  DEV_SESSION_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  USER_QUOTA_BYTES: v.optional(int(0, Number.MAX_SAFE_INTEGER)),
  USER_QUOTA_FILES: v.optional(int(0, Number.MAX_SAFE_INTEGER)),
  // An upload that started before its ticket expired may still be arriving; settle it this much later.
  LEDGER_GRACE_SECONDS: v.optional(int(0, PRESIGN_MAX_EXPIRES_SECONDS), '3600'),
  WEBHOOK_URL: v.optional(httpUrl),
  WEBHOOK_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => !s.startsWith('whsec_') || /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(s),
        'must be whsec_ followed by base64 (at least 24 bytes), or a raw secret',
      ),
      v.minLength(24, 'must be at least 24 characters'),
    ),
  ),
})

/** The settings as the Worker reads them (strings; unset ones absent), for env.ts's Bindings. */
export type SettingsBindings = { [Name in keyof v.InferInput<typeof SettingsSchema>]?: string }

/** Each setting's name, whether it must be set, and its default (as written in the environment). */
export const SETTINGS: readonly { name: string; required: boolean; default?: string }[] = Object.entries(
  SettingsSchema.entries,
).map(([name, schema]) => {
  const optional = schema.type === 'optional'
  const fallback = optional ? (v.getDefault(schema) as string | undefined) : undefined
  return fallback === undefined ? { name, required: !optional } : { name, required: false, default: fallback }
})

export type Config = ReturnType<typeof toConfig>

/** Checked settings → the nested shape the app reads. */
function toConfig(e: v.InferOutput<typeof SettingsSchema>) {
  const endpoint = new URL(e.S3_ENDPOINT)
  const s3: S3Settings = {
    endpoint,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    pathStyle: e.S3_FORCE_PATH_STYLE ?? needsPathStyle(endpoint),
    timeoutMs: e.S3_TIMEOUT_MS,
  }
  return {
    s3,
    upload: {
      maxBytes: e.UPLOAD_MAX_BYTES,
      allowedTypes: e.UPLOAD_ALLOWED_TYPES,
      ttlSeconds: e.UPLOAD_TTL_SECONDS,
      /** post: a browser POST policy; put: a presigned PUT (stores without POST uploads, e.g. R2). */
      mode: e.UPLOAD_MODE,
      /** PUT mode signs `If-None-Match: *` so an upload can never replace an object. */
      putIfNoneMatch: e.UPLOAD_PUT_IF_NONE_MATCH,
      /** The largest preview a preview ticket is signed for. */
      thumbnailMaxBytes: e.THUMBNAIL_MAX_BYTES,
    },
    multipart: {
      /** Files of at least this many bytes go through multipart (the page decides; the API allows either). */
      thresholdBytes: e.MULTIPART_THRESHOLD_BYTES,
      /** The smallest part size handed out; grown for very large files to stay within 10,000 parts. */
      partBytes: e.MULTIPART_PART_BYTES,
      /** How long an upload token (and so the upload) may be continued. */
      ttlSeconds: e.MULTIPART_TTL_SECONDS,
    },
    download: {
      ttlSeconds: e.DOWNLOAD_TTL_SECONDS,
      urlWindowSeconds: e.DOWNLOAD_URL_WINDOW_SECONDS,
      inlineTypes: e.DOWNLOAD_INLINE_TYPES,
    },
    share: {
      /** The longest a share link may stay valid (its `expiresIn`). */
      maxTtlSeconds: e.SHARE_MAX_TTL_SECONDS,
      /** How long the presigned URL behind one share download lives. */
      linkTtlSeconds: e.SHARE_LINK_TTL_SECONDS,
    },
    userPrefix: e.USER_PREFIX,
    /** The page's origin (scheme://host[:port]); the bucket doctor checks CORS for it. */
    appOrigin: e.APP_ORIGIN ? new URL(e.APP_ORIGIN).origin : undefined,
    /** Bearer token for the operator's /api/admin routes; unset, they do not exist. */
    adminToken: e.ADMIN_TOKEN,
    /** Per-user state in the UserLedger Durable Object; quotas unset mean unlimited. */
    ledger: {
      quotaBytes: e.USER_QUOTA_BYTES,
      quotaFiles: e.USER_QUOTA_FILES,
      graceSeconds: e.LEDGER_GRACE_SECONDS,
      /** Standard Webhooks receiver for upload events; the secret is `whsec_<base64>` or raw bytes. */
      webhook: e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET } : undefined,
    },
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      devSignIn: e.DEV_SIGNIN,
      devSessionSecret: e.DEV_SESSION_SECRET,
    },
  }
}

/** Unset and empty are the same thing for optional settings (wrangler passes "" for blank vars). */
function withoutBlanks(env: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && value.trim() === '') continue
    out[name] = value
  }
  return out
}

/**
 * `requireAuth: false` is for tools that only talk to the bucket (the doctor): they need the S3
 * settings, not a way to verify tokens.
 */
export function parseConfig(env: Record<string, unknown>, { requireAuth = true } = {}): Config {
  const parsed = v.safeParse(SettingsSchema, withoutBlanks(env))
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => {
      const name = v.getDotPath(issue) ?? 'settings'
      return issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`
    })
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.output
  if (e.DEV_SIGNIN && !e.DEV_SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: DEV_SESSION_SECRET is required when DEV_SIGNIN is true')
  }
  if (requireAuth && !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL && !e.DEV_SIGNIN) {
    throw new ConfigError(
      'Invalid configuration: set AUTH_JWT_SECRET or AUTH_JWKS_URL (or DEV_SIGNIN for local development)',
    )
  }
  if (e.AUTH_JWKS_URL && (!e.AUTH_ISSUER || !e.AUTH_AUDIENCE)) {
    throw new ConfigError('Invalid configuration: AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL')
  }
  if (e.DOWNLOAD_URL_WINDOW_SECONDS + e.DOWNLOAD_TTL_SECONDS > PRESIGN_MAX_EXPIRES_SECONDS) {
    throw new ConfigError(
      `Invalid configuration: DOWNLOAD_URL_WINDOW_SECONDS + DOWNLOAD_TTL_SECONDS must be at most ${PRESIGN_MAX_EXPIRES_SECONDS} (a presigned URL's longest life)`,
    )
  }
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) {
    throw new ConfigError('Invalid configuration: WEBHOOK_SECRET is required with WEBHOOK_URL')
  }
  return toConfig(e)
}

/** Whether the settings ask for what only the ledger can do: a quota, or upload events. */
export function needsLedger({ ledger }: Config): boolean {
  return ledger.quotaBytes !== undefined || ledger.quotaFiles !== undefined || Boolean(ledger.webhook)
}

/**
 * Parses settings once per env object (stable for an isolate's lifetime) and keeps a ConfigError
 * too, so every request with bad settings is answered with the same error without parsing again.
 */
export function configPerEnv(parse: (env: object) => Config): (env: object) => Config {
  const cache = new WeakMap<object, Config | ConfigError>()
  return (env) => {
    let cached = cache.get(env)
    if (!cached) {
      try {
        cached = parse(env)
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err
        cached = err
      }
      cache.set(env, cached)
    }
    if (cached instanceof ConfigError) throw cached
    return cached
  }
}

export const readConfig = configPerEnv((env) => parseConfig(env as Record<string, unknown>))
