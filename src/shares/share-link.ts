// One Durable Object per share link, named by the share id: the only authority on that link. It
// counts downloads and wrong passwords, so both limits hold however many requests race (one
// object, synchronous storage: no two checks interleave). It never sees S3; the routes do that.
import { DurableObject } from 'cloudflare:workers'
import { KEEP_AFTER_EXPIRY_MS, shareState, type ShareRecord, type ShareState, type ShareSummary } from './share-record'
import { passwordMatches } from './share-password'
import { entryOf, summaryOf } from './share-index'

/** Wrong passwords allowed per window before every try is refused with 429. */
export const WRONG_PASSWORD_LIMIT = 5
export const WRONG_PASSWORD_WINDOW_MS = 60_000

/**
 * What the public routes need before a download: `key` for their check that the file is still there
 * (never shown), and what the page shows. No owner, no password hash.
 */
export type ShareView = {
  key: string
  name: string
  size: number
  type: string
  state: ShareState
  hasPassword: boolean
}

export type Claim =
  | {
      ok: true
      key: string
      name: string
      downloads: number
      maxDownloads: number | null
      ownerId: string
      ownerRoot: string
    }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'gone'; state: Exclude<ShareState, 'active'> }
  | { ok: false; reason: 'password_required' | 'wrong_password' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }

const RECORD = 'share'
/** Times of password tries in the current window, a wrong (or still unchecked) try each. */
const TRIES = 'password_tries'

export class ShareLink extends DurableObject {
  private get kv(): SyncKvStorage {
    return this.ctx.storage.kv
  }

  private record(): ShareRecord | undefined {
    return this.kv.get<ShareRecord>(RECORD)
  }

  /** Stores a new link; false if this id is taken (128 random bits: never, but never overwrite). */
  create(record: ShareRecord): boolean {
    if (this.record()) return false
    this.kv.put(RECORD, record)
    void this.ctx.storage.setAlarm(record.expiresAt + KEEP_AFTER_EXPIRY_MS)
    return true
  }

  /** Long after expiry the link is forgotten: no storage kept for links nobody can use. */
  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll()
  }

  view(now: number): ShareView | null {
    const share = this.record()
    if (!share) return null
    const { key, name, size, type } = share
    return { key, name, size, type, state: shareState(share, now), hasPassword: share.password !== null }
  }

  /**
   * One download: checks state and password, then counts it. A try is recorded before the slow
   * hash runs and forgotten only if the password was right, so racing guesses count too.
   */
  async claim(password: string | null, now: number): Promise<Claim> {
    const before = this.record()
    if (!before) return { ok: false, reason: 'not_found' }
    const state = shareState(before, now)
    if (state !== 'active') return { ok: false, reason: 'gone', state }
    if (before.password) {
      if (password === null) return { ok: false, reason: 'password_required' }
      const tries = (this.kv.get<number[]>(TRIES) ?? []).filter((t) => t > now - WRONG_PASSWORD_WINDOW_MS)
      if (tries.length >= WRONG_PASSWORD_LIMIT) {
        const retryAfterSeconds = Math.max(1, Math.ceil((tries[0] + WRONG_PASSWORD_WINDOW_MS - now) / 1000))
        return { ok: false, reason: 'rate_limited', retryAfterSeconds }
      }
      this.kv.put(TRIES, [...tries, now])
      const right = await passwordMatches(password, before.password)
      if (!right) return { ok: false, reason: 'wrong_password' }
      const left = this.kv.get<number[]>(TRIES) ?? []
      const mine = left.indexOf(now)
      if (mine >= 0) this.kv.put(TRIES, left.toSpliced(mine, 1))
    }
    // Other downloads or a revocation may have landed while the hash ran: decide on the record as it is now.
    const share = this.record()!
    const stateNow = shareState(share, now)
    if (stateNow !== 'active') return { ok: false, reason: 'gone', state: stateNow }
    const downloads = share.downloads + 1
    this.kv.put(RECORD, { ...share, downloads })
    const { key, name, maxDownloads, ownerId, ownerRoot } = share
    return { ok: true, key, name, downloads, maxDownloads, ownerId, ownerRoot }
  }

  /** The owner's view of the link; null unless `ownerRoot` owns it (someone else's share is "no such share"). */
  summary(ownerRoot: string, now: number): ShareSummary | null {
    const share = this.record()
    if (!share || share.ownerRoot !== ownerRoot) return null
    return summarize(share, now)
  }

  /** Withdraws the link for good; revoking twice keeps the first time. Null unless `ownerRoot` owns it. */
  revoke(ownerRoot: string, now: number): ShareSummary | null {
    const share = this.record()
    if (!share || share.ownerRoot !== ownerRoot) return null
    const revoked = share.revokedAt === null ? { ...share, revokedAt: now } : share
    this.kv.put(RECORD, revoked)
    return summarize(revoked, now)
  }
}

function summarize(share: ShareRecord, now: number): ShareSummary {
  return summaryOf(entryOf(share), share.ownerRoot, now)
}
