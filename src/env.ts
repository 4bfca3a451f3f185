// The Worker's bindings (generated into worker-configuration.d.ts by `wrangler types`) plus the
// settings wrangler cannot see (secrets, unset vars; their names come from config.ts's schema), and
// the per-request variables set by middleware.
import type { Config, SettingsBindings } from './config'

/** Who the caller is, as established by a verified token; `root` is their key prefix and never leaves the server. */
export type User = {
  id: string
  root: string
}

/**
 * Bindings a deployment may leave out: no LEDGER runs without quotas, no SHARES without share links,
 * no limiter without that limit.
 */
type OptionalBindings = 'LEDGER' | 'SHARES' | 'TICKET_LIMITER' | 'API_LIMITER'

export type Bindings = Omit<Env, OptionalBindings> & Partial<Pick<Env, OptionalBindings>> & SettingsBindings

export type AppEnv = {
  Bindings: Bindings
  Variables: {
    config: Config
    user: User
    requestId: string
    /** The path the gateway is mounted at, from the matched route: '' at the root, `/files` below it. */
    mount: string
    /** Tells the host an upload finished (createGateway's onUploadCompleted); `key` is the full key. */
    uploadCompleted: (file: { key: string; size: number; type: string; etag: string }) => void
  }
}
