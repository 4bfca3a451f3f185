// The ledger's SQLite tables, created on first use of each user's Durable Object. Sizes in bytes,
// times in Unix milliseconds. A reservation `held` counts against the quota until its upload is
// recorded; it stays (no longer held) until `settle_at`, when the alarm checks its key once more,
// because a ticket can still upload until it expires. `totals` holds the sums over `files` and held
// reservations (what counts against the quota), kept in step, so a quota check reads one row.
export function createTables(sql: SqlStorage): void {
  sql.exec(`
    CREATE TABLE IF NOT EXISTS owner (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      user_id TEXT NOT NULL,
      root TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS files (
      key TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      type TEXT NOT NULL,
      etag TEXT NOT NULL,
      recorded_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS totals (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      bytes INTEGER NOT NULL,
      files INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO totals (id, bytes, files) VALUES (0, 0, 0);
    CREATE TABLE IF NOT EXISTS reservations (
      key TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      type TEXT NOT NULL,
      settle_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      held INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX IF NOT EXISTS reservations_by_settle_at ON reservations (settle_at);
    CREATE TABLE IF NOT EXISTS outbox (
      id TEXT PRIMARY KEY,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      next_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS outbox_by_next_at ON outbox (next_at);
  `)
}
