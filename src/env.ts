// The Worker's bindings (generated into worker-configuration.d.ts by `wrangler types`) plus the
// secrets and optional settings wrangler cannot see, and the per-request variables set by middleware.
import type { Config } from './config'
import type { User } from './auth/user'

/** Bindings a deployment may leave out: no LEDGER runs without quotas, no limiter runs without that limit. */
type OptionalBindings = 'LEDGER' | 'TICKET_LIMITER' | 'API_LIMITER'

export type Bindings = Omit<Env, OptionalBindings> &
  Partial<Pick<Env, OptionalBindings>> & {
    S3_ENDPOINT?: string
    S3_REGION?: string
    S3_BUCKET?: string
    S3_ACCESS_KEY_ID?: string
    S3_SECRET_ACCESS_KEY?: string
    S3_FORCE_PATH_STYLE?: string
    S3_TIMEOUT_MS?: string
    UPLOAD_MAX_BYTES?: string
    UPLOAD_ALLOWED_TYPES?: string
    UPLOAD_TTL_SECONDS?: string
    UPLOAD_MODE?: string
    UPLOAD_PUT_IF_NONE_MATCH?: string
    MULTIPART_THRESHOLD_BYTES?: string
    MULTIPART_PART_BYTES?: string
    MULTIPART_TTL_SECONDS?: string
    DOWNLOAD_TTL_SECONDS?: string
    DOWNLOAD_URL_WINDOW_SECONDS?: string
    DOWNLOAD_INLINE_TYPES?: string
    USER_PREFIX?: string
    APP_ORIGIN?: string
    AUTH_JWT_SECRET?: string
    AUTH_JWKS_URL?: string
    AUTH_ISSUER?: string
    AUTH_AUDIENCE?: string
    DEV_SIGNIN?: string
    DEV_SESSION_SECRET?: string
    ADMIN_TOKEN?: string
    USER_QUOTA_BYTES?: string
    USER_QUOTA_FILES?: string
    LEDGER_GRACE_SECONDS?: string
    WEBHOOK_URL?: string
    WEBHOOK_SECRET?: string
  }

export type AppEnv = {
  Bindings: Bindings
  Variables: {
    config: Config
    user: User
    requestId: string
  }
}
