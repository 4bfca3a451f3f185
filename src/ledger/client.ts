// How routes reach a user's ledger: the Durable Object named by the verified user's root (never a
// name from the request), its refusals turned into the API's errors, and a ledger that cannot be
// reached into 503 `ledger_unavailable`. Without a LEDGER binding the service runs without one.
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv, User } from '../env'
import { needsLedger, type Config } from '../config'
import { ApiError, ConfigError } from '../errors'
import { audit } from '../util/audit'
import type { Confirmed, Drift, Quota, Refusal, RefusalCode, Usage } from './user-ledger'
import type { ShareEntry } from '../shares/share-index'
import type { ShareSummary } from '../shares/share-record'

const STATUS: Record<RefusalCode, ContentfulStatusCode> = {
  quota_exceeded: 413,
  not_reserved: 404,
  not_uploaded: 409,
  upload_mismatch: 409,
  s3_error: 502,
  s3_unreachable: 502,
  s3_timeout: 504,
}

export type LedgerClient = ReturnType<typeof connect>

/**
 * The caller's ledger, or undefined when the deployment has no LEDGER binding. Quotas and webhooks
 * need it: a configuration that sets them without the binding is refused rather than silently ignored.
 */
export function ledgerFor(c: Context<AppEnv>, user: User = c.var.user): LedgerClient | undefined {
  const { config, requestId } = c.var
  if (!c.env.LEDGER) {
    if (needsLedger(config)) {
      throw new ConfigError(
        'Invalid configuration: USER_QUOTA_BYTES, USER_QUOTA_FILES and WEBHOOK_URL need the LEDGER Durable Object binding',
      )
    }
    return undefined
  }
  return connect(c.env.LEDGER, config, user, requestId)
}

/** The ledger that keeps `owner`'s share links; share links are off (404) without one. */
export function shareLedgerFor(c: Context<AppEnv>, owner: User = c.var.user): LedgerClient {
  const ledger = ledgerFor(c, owner)
  if (!ledger) throw new ApiError(404, 'shares_disabled', 'Share links are not enabled on this deployment')
  return ledger
}

function connect(namespace: NonNullable<AppEnv['Bindings']['LEDGER']>, config: Config, user: User, requestId: string) {
  const stub = namespace.getByName(user.root)
  const owner = { id: user.id, root: user.root }
  const quota: Quota = { quotaBytes: config.ledger.quotaBytes, quotaFiles: config.ledger.quotaFiles }
  return {
    quota,
    /** Holds a ticket's size against the quota before it is signed; a refusal is audited. */
    async reserve(key: string, size: number, type: string, ticketExpiresAt: Date): Promise<void> {
      const settleAt = ticketExpiresAt.getTime() + config.ledger.graceSeconds * 1000
      const outcome = await reach(async () => stub.reserve(owner, { key, size, type, settleAt }, quota))
      if (!outcome.ok && outcome.code === 'quota_exceeded') {
        audit('quota_refused', { user: user.id, key: key.slice(user.root.length), size, requestId })
      }
      accepted(outcome)
    },
    cancel: (key: string): Promise<void> => reach(async () => stub.cancel(owner, key)),
    async confirm(key: string): Promise<Confirmed> {
      return accepted(await reach(async () => stub.confirm(owner, key, quota)))
    },
    release: (keys: string[]): Promise<Usage> => reach(async () => stub.release(owner, keys, quota)),
    usage: (): Promise<Usage> => reach(async () => stub.usage(owner, quota)),
    rebuild: (): Promise<Drift> => reach(async () => stub.rebuild(owner)),
    addShare: (entry: ShareEntry): Promise<void> => reach(async () => stub.addShare(owner, entry)),
    listShares: (): Promise<ShareSummary[]> => reach(async () => stub.listShares(owner, Date.now())),
    shareRevoked: (id: string): Promise<void> => reach(async () => stub.shareRevoked(owner, id, Date.now())),
    shareDownloaded: (id: string, downloads: number): Promise<void> =>
      reach(async () => stub.shareDownloaded(owner, id, downloads)),
  }
}

async function reach<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    console.error(JSON.stringify({ ledger: 'unreachable', error: String(err) }))
    throw new ApiError(503, 'ledger_unavailable', 'The usage ledger is not reachable right now; try again shortly')
  }
}

function accepted<T extends { ok: true } | Refusal>(outcome: T): Exclude<T, Refusal> {
  if (!outcome.ok) throw new ApiError(STATUS[outcome.code], outcome.code, outcome.message)
  return outcome as Exclude<T, Refusal>
}
