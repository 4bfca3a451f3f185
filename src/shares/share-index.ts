// The owner's list of share links, a table in the owner's ledger (SQLite): enough of each link to
// list it without waking every link's own object. The link's object stays the authority on
// downloads and revocation; this copy follows it (each download reports its count here). Only
// this table knows a link's file was deleted: the ledger marks it when S3 confirmed the delete.
// Times in Unix milliseconds; keys are full keys under the owner's root.
import { KEEP_AFTER_EXPIRY_MS, shareState, type ShareRecord, type ShareSummary } from './share-record'

/** Most links listed, newest first; older ones stay in the table (and working) but off the list. */
export const SHARE_LIST_LIMIT = 200

export type ShareEntry = Pick<
  ShareRecord,
  'id' | 'key' | 'name' | 'size' | 'createdAt' | 'expiresAt' | 'maxDownloads' | 'downloads' | 'revokedAt'
> & { hasPassword: boolean; fileDeletedAt: number | null }

type Row = {
  id: string
  key: string
  name: string
  size: number
  has_password: number
  created_at: number
  expires_at: number
  max_downloads: number | null
  downloads: number
  revoked_at: number | null
  file_deleted_at: number | null
}

export function createShareTable(sql: SqlStorage): void {
  sql.exec(`
    CREATE TABLE IF NOT EXISTS shares (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      size INTEGER NOT NULL,
      has_password INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      max_downloads INTEGER,
      downloads INTEGER NOT NULL DEFAULT 0,
      revoked_at INTEGER,
      file_deleted_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS shares_by_created_at ON shares (created_at);
    CREATE INDEX IF NOT EXISTS shares_by_key ON shares (key);
  `)
}

export function addShare(sql: SqlStorage, e: ShareEntry): void {
  sql.exec(
    `INSERT OR IGNORE INTO shares (id, key, name, size, has_password, created_at, expires_at, max_downloads, downloads, revoked_at, file_deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    e.id,
    e.key,
    e.name,
    e.size,
    e.hasPassword ? 1 : 0,
    e.createdAt,
    e.expiresAt,
    e.maxDownloads,
    e.downloads,
    e.revokedAt,
    e.fileDeletedAt,
  )
}

/** Downloads arrive counted by the link's object; reports may cross, so the count only grows. */
export function noteShareDownload(sql: SqlStorage, id: string, downloads: number): ShareEntry | undefined {
  sql.exec('UPDATE shares SET downloads = max(downloads, ?) WHERE id = ?', downloads, id)
  return entry(sql, id)
}

export function noteShareRevoked(sql: SqlStorage, id: string, at: number): void {
  sql.exec('UPDATE shares SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?', at, id)
}

/** S3 confirmed `key` deleted: its links stop for good (the first time is kept). */
export function noteFileDeleted(sql: SqlStorage, key: string, at: number): void {
  sql.exec('UPDATE shares SET file_deleted_at = coalesce(file_deleted_at, ?) WHERE key = ?', at, key)
}

/** A file recorded again at `key`: its links work again (the public routes find it in S3). */
export function noteFileBack(sql: SqlStorage, key: string): void {
  sql.exec('UPDATE shares SET file_deleted_at = NULL WHERE key = ?', key)
}

export function listShares(sql: SqlStorage, root: string, now: number): ShareSummary[] {
  // Links forgotten by their own objects leave the list too.
  sql.exec('DELETE FROM shares WHERE expires_at < ?', now - KEEP_AFTER_EXPIRY_MS)
  return sql
    .exec<Row>('SELECT * FROM shares ORDER BY created_at DESC LIMIT ?', SHARE_LIST_LIMIT)
    .toArray()
    .map((row) => summaryOf(fromRow(row), root, now))
}

/**
 * A link's record as its owner's list keeps it (no owner fields, no password hash). The link's
 * object knows nothing of its file's deletion: a new link's file is there.
 */
export function entryOf(r: ShareRecord): ShareEntry {
  const { id, key, name, size, createdAt, expiresAt, maxDownloads, downloads, revokedAt } = r
  return {
    id,
    key,
    name,
    size,
    createdAt,
    expiresAt,
    maxDownloads,
    downloads,
    revokedAt,
    hasPassword: r.password !== null,
    fileDeletedAt: null,
  }
}

function entry(sql: SqlStorage, id: string): ShareEntry | undefined {
  const [row] = sql.exec<Row>('SELECT * FROM shares WHERE id = ?', id).toArray()
  return row && fromRow(row)
}

function fromRow(row: Row): ShareEntry {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    size: row.size,
    hasPassword: row.has_password === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxDownloads: row.max_downloads,
    downloads: row.downloads,
    revokedAt: row.revoked_at,
    fileDeletedAt: row.file_deleted_at,
  }
}

/** What the owner sees: the key relative to their root, times as ISO strings, and the state. */
export function summaryOf(e: ShareEntry, root: string, now: number): ShareSummary {
  return {
    id: e.id,
    key: e.key.startsWith(root) ? e.key.slice(root.length) : e.key,
    name: e.name,
    size: e.size,
    createdAt: new Date(e.createdAt).toISOString(),
    expiresAt: new Date(e.expiresAt).toISOString(),
    maxDownloads: e.maxDownloads,
    downloads: e.downloads,
    hasPassword: e.hasPassword,
    state: shareState(e, now),
  }
}
