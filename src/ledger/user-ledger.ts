// One Durable Object per user, named by the user's root: what they hold and have reserved (the
// quota), their confirmed files, and an outbox of upload events. S3 stays the store of bytes; this
// only counts them. The alarm settles reservations whose tickets expired unconfirmed and retries
// webhook deliveries. Keys are full keys; every call names its owner and may touch only that root.
import { DurableObject } from 'cloudflare:workers'
import type { Bindings } from '../env'
import { readConfig } from '../config'
import { S3Error, S3Unavailable } from '../errors'
import { unquoteEtag } from '../s3/etag'
import { headObject, type ObjectHead } from '../s3/head-object'
import { listObjects } from '../s3/objects'
import { createTables } from './schema'
import * as shareTable from '../shares/share-index'
import type { ShareSummary } from '../shares/share-record'
import {
  OUTBOX_MAX_AGE_MS,
  deliver,
  eventBody,
  newEventId,
  retryDelayMs,
  type EventData,
  type EventType,
} from './webhook-delivery'

export type Owner = { id: string; root: string }
export type Quota = { quotaBytes?: number; quotaFiles?: number }
export type Usage = { bytes: number; files: number; quotaBytes: number | null; quotaFiles: number | null }
/** `settleAt`: when an unconfirmed reservation is settled (ticket expiry plus LEDGER_GRACE_SECONDS). */
export type Reservation = { key: string; size: number; type: string; settleAt: number }
export type LedgerFile = { key: string; size: number; type: string; etag: string; recordedAt: number }

export type RefusalCode =
  'quota_exceeded' | 'not_reserved' | 'not_uploaded' | 'upload_mismatch' | 's3_error' | 's3_timeout' | 's3_unreachable'
export type Refusal = { ok: false; code: RefusalCode; message: string }
export type Confirmed = { ok: true; file: LedgerFile; usage: Usage }
/** A ticket needs only the yes: no usage on the hot path, so the answer is cheap to send. */
export type Reserved = { ok: true }

/** What a repair changed, full keys; `before`/`after` are the counted bytes and files. */
export type Drift = {
  added: string[]
  removed: string[]
  resized: string[]
  before: { bytes: number; files: number }
  after: { bytes: number; files: number }
}

/** Most reservations or events handled per alarm; the alarm comes back at once for the rest. */
const BATCH = 50

const RESERVED: Reserved = { ok: true }

/** Takes `?1` bytes and one file if both quotas (`?2` bytes, `?3` files; null: none) still hold them. */
const TAKE = `UPDATE totals SET bytes = bytes + ?1, files = files + 1
  WHERE (?2 IS NULL OR bytes + ?1 <= ?2) AND (?3 IS NULL OR files + 1 <= ?3)`

export class UserLedger extends DurableObject<Bindings> {
  private readonly sql: SqlStorage
  /** When the alarm is set for (null: not set), so the hot path sets it only when it must come sooner. */
  private alarmAt: number | null = null
  /** The owner's root once known; checked on every call without a query. */
  private root: string | undefined

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      createTables(this.sql)
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  /**
   * Holds `r.size` bytes and one file against the quota, or refuses if that would pass it. The ticket
   * route's hot path, so two statements and no read: one synchronous call runs under the input gate
   * and its writes commit together before the answer leaves (the output gate), so no transaction.
   */
  reserve(owner: Owner, r: Reservation, quota: Quota): Reserved | Refusal {
    this.checkOwner(owner, r.key)
    // First, so a key reserved twice throws before the totals move.
    this.sql.exec(
      'INSERT INTO reservations (key, size, type, settle_at) VALUES (?, ?, ?, ?)',
      r.key,
      r.size,
      r.type,
      r.settleAt,
    )
    const taken = this.sql.exec(TAKE, r.size, quota.quotaBytes ?? null, quota.quotaFiles ?? null).rowsWritten
    if (taken === 0) {
      this.sql.exec('DELETE FROM reservations WHERE key = ?', r.key)
      return { ok: false, code: 'quota_exceeded', message: overQuota(this.used(), r.size, quota) ?? 'Over quota' }
    }
    this.wakeBy(r.settleAt)
    return RESERVED
  }

  /** Drops a reservation whose upload can no longer happen (creating it failed, or it was aborted). */
  cancel(owner: Owner, key: string): void {
    this.checkOwner(owner, key)
    // An alarm left set for this reservation finds nothing due and moves on.
    this.ctx.storage.transactionSync(() => {
      this.unhold(key)
      this.sql.exec('DELETE FROM reservations WHERE key = ?', key)
    })
  }

  /**
   * The upload arrived: checks S3's object against the reservation, then counts it as a file.
   * Confirming a recorded file again answers the same; a failed HEAD leaves the reservation for the alarm.
   */
  async confirm(owner: Owner, key: string, quota: Quota): Promise<Confirmed | Refusal> {
    this.checkOwner(owner, key)
    const reserved = this.reservation(key)
    if (!reserved?.held) return this.recorded(key, quota)
    let head: ObjectHead | null
    try {
      head = await headObject(readConfig(this.env).s3, key)
    } catch (err) {
      return s3Refusal(err)
    }
    if (!head) return { ok: false, code: 'not_uploaded', message: 'The storage holds nothing at this key yet' }
    if (head.size !== reserved.size || head.type !== reserved.type) {
      return {
        ok: false,
        code: 'upload_mismatch',
        message: `The stored object is ${head.size} bytes of ${head.type || 'no type'}; the ticket was for ${reserved.size} bytes of ${reserved.type}`,
      }
    }
    // Another confirm (or the alarm) may have recorded it while the HEAD was in flight.
    if (this.reservation(key)?.held) {
      const now = Date.now()
      this.record(key, head, now)
      this.wakeForEvents(now)
    }
    return this.recorded(key, quota)
  }

  /**
   * S3 deleted these keys: their recorded files stop counting, and their share links show the file
   * deleted (whether or not the file was recorded: it may predate the ledger). A reservation stays
   * until it is settled, since its ticket may still upload (a POST ticket can be replayed until it expires).
   */
  release(owner: Owner, keys: string[], quota: Quota): Usage {
    for (const key of keys) this.checkOwner(owner, key)
    const now = Date.now()
    for (const key of keys) {
      this.ctx.storage.transactionSync(() => {
        shareTable.noteFileDeleted(this.sql, key, now)
        const file = this.file(key)
        if (!file) return
        this.dropFile(file)
        this.enqueue('file.deleted', now, file)
      })
    }
    this.wakeForEvents(now)
    return usageOf(this.used(), quota)
  }

  usage(owner: Owner, quota: Quota): Usage {
    this.checkOwner(owner)
    return usageOf(this.used(), quota)
  }

  /** A new share link of the owner's, for their list (the link's own object holds the rest). */
  addShare(owner: Owner, entry: shareTable.ShareEntry): void {
    this.checkOwner(owner, entry.key)
    shareTable.addShare(this.sql, entry)
  }

  listShares(owner: Owner, now: number): ShareSummary[] {
    this.checkOwner(owner)
    return shareTable.listShares(this.sql, owner.root, now)
  }

  shareRevoked(owner: Owner, id: string, at: number): void {
    this.checkOwner(owner)
    shareTable.noteShareRevoked(this.sql, id, at)
  }

  /** A link's object counted a download: the list follows its count, and the webhook hears of it. */
  shareDownloaded(owner: Owner, id: string, downloads: number): void {
    this.checkOwner(owner)
    const share = shareTable.noteShareDownload(this.sql, id, downloads)
    if (!share) return
    const now = Date.now()
    this.queue('share.downloaded', now, {
      user: owner.id,
      share: id,
      key: share.key.slice(owner.root.length),
      size: share.size,
      downloads,
      maxDownloads: share.maxDownloads,
    })
    this.wakeForEvents(now)
  }

  /** Rebuilds the files table from an S3 listing of the root; open reservations are left to settle. */
  async rebuild(owner: Owner): Promise<Drift> {
    this.checkOwner(owner)
    const s3 = readConfig(this.env).s3
    const startedAt = Date.now()
    const listed = new Map<string, { size: number; etag: string }>()
    let token: string | undefined
    do {
      const page = await listObjects(s3, { prefix: owner.root, maxKeys: 1000, continuationToken: token })
      for (const o of page.objects) listed.set(o.key, { size: o.size, etag: unquoteEtag(o.etag) })
      token = page.nextToken ?? undefined
    } while (token)
    const before = this.filesTotal()
    const drift: Drift = { added: [], removed: [], resized: [], before, after: before }
    // Files recorded while the listing ran may be missing from it; they are not drift.
    const files = this.sql
      .exec<LedgerFile>('SELECT key, size, type, etag FROM files WHERE recorded_at < ?', startedAt)
      .toArray()
    for (const file of files) {
      const object = listed.get(file.key)
      listed.delete(file.key)
      if (!object) {
        this.dropFile(file)
        drift.removed.push(file.key)
      } else if (object.size !== file.size) {
        this.dropFile(file)
        this.putFile({ ...file, size: object.size, etag: object.etag }, Date.now())
        drift.resized.push(file.key)
      }
    }
    for (const [key, object] of listed) {
      if (this.reservation(key) || this.file(key)) continue
      // A listing carries no content type; ask for it only for the files the ledger missed.
      const head = await headObject(s3, key)
      if (!head) continue
      this.putFile({ key, size: object.size, type: head.type, etag: object.etag }, Date.now())
      drift.added.push(key)
    }
    this.recount()
    drift.after = this.filesTotal()
    return drift
  }

  async alarm(): Promise<void> {
    this.alarmAt = null // this alarm is spent; reschedule() sets the next
    const now = Date.now()
    await this.settleDue(now)
    await this.deliverDue(now)
    this.reschedule()
  }

  /**
   * Reservations past their time: the key is checked once more. An object there that is not yet
   * recorded counts (a client that never confirms, or re-uploads with a replayed ticket, pays all
   * the same); otherwise the hold, if any, ends.
   */
  private async settleDue(now: number): Promise<void> {
    const due = this.sql
      .exec<{ key: string; attempts: number }>(
        'SELECT key, attempts FROM reservations WHERE settle_at <= ? ORDER BY settle_at LIMIT ?',
        now,
        BATCH,
      )
      .toArray()
    const s3 = readConfig(this.env).s3
    for (const { key, attempts } of due) {
      let head: ObjectHead | null
      try {
        head = await headObject(s3, key)
      } catch {
        this.sql.exec(
          'UPDATE reservations SET attempts = ?, settle_at = ? WHERE key = ?',
          attempts + 1,
          now + retryDelayMs(attempts + 1),
          key,
        )
        continue
      }
      if (!this.reservation(key)) continue
      if (head && !this.file(key)) this.record(key, head, now)
      else this.unhold(key)
      this.sql.exec('DELETE FROM reservations WHERE key = ?', key)
    }
  }

  /** Sends due events in order; stops at the first failure (the receiver is likely down) and backs off. */
  private async deliverDue(now: number): Promise<void> {
    const webhook = readConfig(this.env).ledger.webhook
    if (!webhook) return
    const due = this.sql
      .exec<{ id: string; body: string; created_at: number; attempts: number }>(
        'SELECT id, body, created_at, attempts FROM outbox WHERE next_at <= ? ORDER BY created_at LIMIT ?',
        now,
        BATCH,
      )
      .toArray()
    for (const event of due) {
      if (await deliver(webhook, event.id, event.body, new Date())) {
        this.sql.exec('DELETE FROM outbox WHERE id = ?', event.id)
        continue
      }
      if (Date.now() - event.created_at > OUTBOX_MAX_AGE_MS) {
        console.error(JSON.stringify({ webhook: 'dropped', id: event.id, attempts: event.attempts + 1 }))
        this.sql.exec('DELETE FROM outbox WHERE id = ?', event.id)
        continue
      }
      // The receiver is likely down: this event and every other one due wait for the same retry.
      const retryAt = Date.now() + retryDelayMs(event.attempts + 1)
      this.sql.exec('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?', event.id)
      this.sql.exec('UPDATE outbox SET next_at = ? WHERE next_at <= ?', retryAt, now)
      break
    }
  }

  /** Brings the alarm forward to `time` if it is not already due by then. */
  private wakeBy(time: number): void {
    if (this.alarmAt !== null && this.alarmAt <= time) return
    this.alarmAt = time
    void this.ctx.storage.setAlarm(time)
  }

  /** New events go out from the alarm, at once, never during the caller's request. */
  private wakeForEvents(now: number): void {
    if (readConfig(this.env).ledger.webhook) this.wakeBy(now)
  }

  /** One alarm, exactly at the earliest due reservation or event. */
  private reschedule(): void {
    const delivering = readConfig(this.env).ledger.webhook !== undefined
    const [row] = this.sql
      .exec<{ next: number | null }>(
        `SELECT min(t) AS next FROM (
           SELECT min(settle_at) AS t FROM reservations
           UNION ALL SELECT min(next_at) AS t FROM outbox WHERE ?
         )`,
        delivering ? 1 : 0,
      )
      .toArray()
    this.alarmAt = row?.next ?? null
    if (this.alarmAt === null) void this.ctx.storage.deleteAlarm()
    else void this.ctx.storage.setAlarm(this.alarmAt)
  }

  /** Reservation → file, with S3's size, type and ETag, and an upload.completed event. */
  private record(key: string, head: ObjectHead, now: number): void {
    this.ctx.storage.transactionSync(() => {
      this.unhold(key)
      const old = this.file(key)
      if (old) this.dropFile(old)
      const file = { key, size: head.size, type: head.type, etag: head.etag }
      this.putFile(file, now)
      this.enqueue('upload.completed', now, file)
    })
  }

  private recorded(key: string, quota: Quota): Confirmed | Refusal {
    const file = this.file(key)
    if (!file) return { ok: false, code: 'not_reserved', message: 'No upload ticket was issued to you for this key' }
    return { ok: true, file, usage: usageOf(this.used(), quota) }
  }

  private enqueue(type: EventType, now: number, file: Omit<LedgerFile, 'recordedAt'>): void {
    const owner = this.owner()
    if (!owner) return
    this.queue(type, now, {
      user: owner.id,
      key: file.key.slice(owner.root.length),
      size: file.size,
      contentType: file.type,
      etag: file.etag,
    })
  }

  /** Puts one event in the outbox, when webhooks are on. */
  private queue(type: EventType, now: number, data: EventData): void {
    if (!readConfig(this.env).ledger.webhook) return
    const body = eventBody(type, new Date(now), data)
    this.sql.exec(
      'INSERT INTO outbox (id, body, created_at, next_at) VALUES (?, ?, ?, ?)',
      newEventId(),
      body,
      now,
      now,
    )
  }

  /** Ends a reservation's hold on the quota, if it still holds; the row stays until settled. */
  private unhold(key: string): void {
    const [held] = this.sql
      .exec<{ size: number }>('UPDATE reservations SET held = 0 WHERE key = ? AND held = 1 RETURNING size', key)
      .toArray()
    if (held) this.sql.exec('UPDATE totals SET bytes = bytes - ?, files = files - 1', held.size)
  }

  /** A file now at `file.key`; links to an earlier file there work again, so they stop showing it deleted. */
  private putFile(file: Omit<LedgerFile, 'recordedAt'>, now: number): void {
    shareTable.noteFileBack(this.sql, file.key)
    this.sql.exec(
      'INSERT INTO files (key, size, type, etag, recorded_at) VALUES (?, ?, ?, ?, ?)',
      file.key,
      file.size,
      file.type,
      file.etag,
      now,
    )
    this.sql.exec('UPDATE totals SET bytes = bytes + ?, files = files + 1', file.size)
  }

  private dropFile(file: { key: string; size: number }): void {
    this.sql.exec('DELETE FROM files WHERE key = ?', file.key)
    this.sql.exec('UPDATE totals SET bytes = bytes - ?, files = files - 1', file.size)
  }

  private file(key: string): LedgerFile | undefined {
    return this.sql
      .exec<LedgerFile>('SELECT key, size, type, etag, recorded_at AS recordedAt FROM files WHERE key = ?', key)
      .toArray()[0]
  }

  private reservation(key: string): { size: number; type: string; held: number } | undefined {
    return this.sql
      .exec<{ size: number; type: string; held: number }>(
        'SELECT size, type, held FROM reservations WHERE key = ?',
        key,
      )
      .toArray()[0]
  }

  private filesTotal(): { bytes: number; files: number } {
    return this.sql
      .exec<{ bytes: number; files: number }>('SELECT coalesce(sum(size), 0) AS bytes, count(*) AS files FROM files')
      .one()
  }

  /** Files plus open reservations: what counts against the quota (one row, kept in step). */
  private used(): { bytes: number; files: number } {
    return this.sql.exec<{ bytes: number; files: number }>('SELECT bytes, files FROM totals').one()
  }

  /** Sets the totals from the rows themselves (after a repair). */
  private recount(): void {
    this.sql.exec(`
      UPDATE totals SET
        bytes = (SELECT coalesce(sum(size), 0) FROM files) + (SELECT coalesce(sum(size), 0) FROM reservations WHERE held = 1),
        files = (SELECT count(*) FROM files) + (SELECT count(*) FROM reservations WHERE held = 1)
    `)
  }

  private owner(): Owner | undefined {
    return this.sql.exec<Owner>('SELECT user_id AS id, root FROM owner').toArray()[0]
  }

  /** Defence in depth: the Worker names each ledger by its user's root; refuse anything else. */
  private checkOwner(owner: Owner, key?: string): void {
    if (this.root === undefined) {
      const known = this.owner()
      if (!known) this.sql.exec('INSERT INTO owner (id, user_id, root) VALUES (0, ?, ?)', owner.id, owner.root)
      this.root = known?.root ?? owner.root
    }
    if (this.root !== owner.root) throw new Error('this ledger belongs to another user')
    if (key !== undefined && !key.startsWith(owner.root)) throw new Error('key outside the owner root')
  }
}

function usageOf(used: { bytes: number; files: number }, quota: Quota): Usage {
  return { ...used, quotaBytes: quota.quotaBytes ?? null, quotaFiles: quota.quotaFiles ?? null }
}

/** The refusal's words, or undefined when `size` more bytes and one more file still fit. */
function overQuota(used: { bytes: number; files: number }, size: number, quota: Quota): string | undefined {
  if (quota.quotaBytes !== undefined && used.bytes + size > quota.quotaBytes) {
    const left = Math.max(0, quota.quotaBytes - used.bytes)
    return `This file is ${size} bytes but only ${left} of your ${quota.quotaBytes} bytes are left (${used.bytes} used)`
  }
  if (quota.quotaFiles !== undefined && used.files + 1 > quota.quotaFiles) {
    return `You have ${used.files} of ${quota.quotaFiles} files; delete one to upload another`
  }
  return undefined
}

function s3Refusal(err: unknown): Refusal {
  if (err instanceof S3Unavailable) {
    return { ok: false, code: err.timedOut ? 's3_timeout' : 's3_unreachable', message: err.message }
  }
  if (err instanceof S3Error) {
    return { ok: false, code: 's3_error', message: `The storage service refused the check: ${err.s3Code}` }
  }
  throw err
}
