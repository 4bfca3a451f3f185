// Each owner's list of share links, in a Durable Object named by the owner's root (SQLite): until
// the per-user ledger hosts the same table (share-index.ts), this object holds it.
import { DurableObject } from 'cloudflare:workers'
import type { ShareSummary } from './share-record'
import {
  addShare,
  createShareTable,
  listShares,
  noteShareDownload,
  noteShareRevoked,
  type ShareEntry,
} from './share-index'

export class ShareIndex extends DurableObject {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never)
    this.sql = ctx.storage.sql
    createShareTable(this.sql)
  }

  add(entry: ShareEntry): void {
    addShare(this.sql, entry)
  }

  downloaded(id: string, downloads: number): void {
    noteShareDownload(this.sql, id, downloads)
  }

  revoked(id: string, at: number): void {
    noteShareRevoked(this.sql, id, at)
  }

  list(root: string, now: number): ShareSummary[] {
    return listShares(this.sql, root, now)
  }
}
