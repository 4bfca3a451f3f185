// What a share link is: the record its Durable Object keeps, and the one rule for its state.
// Times are Unix milliseconds. `key` is the full key, confined under `ownerRoot` when created.
import type { PasswordHash } from './share-password'

export type ShareRecord = {
  id: string
  ownerId: string
  ownerRoot: string
  key: string
  /** The file as it was when shared (the public page shows these). */
  name: string
  size: number
  type: string
  createdAt: number
  expiresAt: number
  maxDownloads: number | null
  downloads: number
  revokedAt: number | null
  password: PasswordHash | null
}

export type ShareState = 'active' | 'expired' | 'used_up' | 'revoked' | 'file_deleted'

/**
 * What decides a share's state. `fileDeletedAt` is known only to the owner's ledger, which saw the
 * delete; the link's own object never has it, and the public routes look the file up in S3 instead.
 */
export type ShareFacts = Pick<ShareRecord, 'expiresAt' | 'maxDownloads' | 'downloads' | 'revokedAt'> & {
  fileDeletedAt?: number | null
}

/**
 * How long a link is kept after it expires: its page says "expired" (410) and its owner's list shows
 * it for this long, then both forget it (an unknown link is a 404).
 */
export const KEEP_AFTER_EXPIRY_MS = 30 * 86_400_000

/** The owner's acts first (revoked, then the file deleted), then the link's own limits. */
export function shareState(share: ShareFacts, now: number): ShareState {
  if (share.revokedAt !== null) return 'revoked'
  if (share.fileDeletedAt != null) return 'file_deleted'
  if (now >= share.expiresAt) return 'expired'
  if (share.maxDownloads !== null && share.downloads >= share.maxDownloads) return 'used_up'
  return 'active'
}

/** Why a share no longer gives its file, in words for the public page (no owner, no key). */
export const GONE_WORDS: Record<Exclude<ShareState, 'active'>, string> = {
  expired: 'This link has expired.',
  used_up: 'This link has been used as many times as it allows.',
  revoked: 'This link has been withdrawn by the person who shared it.',
  file_deleted: 'The shared file has been deleted.',
}

/** What the owner's list shows of a share: never the password hash. */
export type ShareSummary = {
  id: string
  key: string
  name: string
  size: number
  createdAt: string
  expiresAt: string
  maxDownloads: number | null
  downloads: number
  hasPassword: boolean
  state: ShareState
}
