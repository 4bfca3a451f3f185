// The identity provider's public keys (AUTH_JWKS_URL), cached per isolate. Hono's verifyWithJwks
// would fetch the set on every request; here it is fetched once per 10 min, and a token naming an
// unknown `kid` (a key rotation) refreshes it at most once per 30 s, so bad tokens cannot hammer
// the issuer.
import { BoundedCache } from '../util/bounded-cache'

const MAX_AGE_MS = 10 * 60_000
const REFRESH_COOLDOWN_MS = 30_000
const FETCH_TIMEOUT_MS = 5_000

export type Jwk = JsonWebKey & { kid?: string }
type KeySet = { keys: Jwk[]; fetchedAt: number }

/** One set per issuer URL; a deployment has one, tests a few. */
const sets = new BoundedCache<string, KeySet>(8)
const pending = new Map<string, Promise<KeySet>>()

export class JwksUnavailable extends Error {}

async function download(url: string): Promise<KeySet> {
  let body: unknown
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    if (!res.ok) throw new JwksUnavailable(`JWKS answered ${res.status}`)
    body = await res.json()
  } catch (err) {
    throw err instanceof JwksUnavailable ? err : new JwksUnavailable('JWKS could not be fetched')
  }
  const keys = (body as { keys?: unknown })?.keys
  if (!Array.isArray(keys)) throw new JwksUnavailable('JWKS has no "keys" array')
  const set = { keys: keys as Jwk[], fetchedAt: Date.now() }
  sets.set(url, set)
  return set
}

function refresh(url: string): Promise<KeySet> {
  let p = pending.get(url)
  if (!p) {
    p = download(url).finally(() => pending.delete(url))
    pending.set(url, p)
  }
  return p
}

/** The key set at `url` that should hold `kid`, refreshed when stale or (after the cool-down) missing it. */
export async function keysFor(url: string, kid: string | undefined): Promise<Jwk[]> {
  const set = sets.get(url)
  const now = Date.now()
  if (!set || now - set.fetchedAt >= MAX_AGE_MS) return (await refresh(url)).keys
  const known = set.keys.some((k) => k.kid === kid)
  if (!known && now - set.fetchedAt >= REFRESH_COOLDOWN_MS) return (await refresh(url)).keys
  return set.keys
}
