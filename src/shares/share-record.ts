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

export type ShareState = 'active' | 'expired' | 'used_up' | 'revoked'

/**
 * How long a link is kept after it expires: its page says "expired" (410) and its owner's list shows
 * it for this long, then both forget it (an unknown link is a 404).
 */
export const KEEP_AFTER_EXPIRY_MS = 30 * 86_400_000

export function shareState(
  share: Pick<ShareRecord, 'expiresAt' | 'maxDownloads' | 'downloads' | 'revokedAt'>,
  now: number,
): ShareState {
  if (share.revokedAt !== null) return 'revoked'
  if (now >= share.expiresAt) return 'expired'
  if (share.maxDownloads !== null && share.downloads >= share.maxDownloads) return 'used_up'
  return 'active'
}

/** Why a share no longer gives its file, in words for the public page (no owner, no key). */
export const GONE_WORDS: Record<Exclude<ShareState, 'active'>, string> = {
  expired: 'This link has expired.',
  used_up: 'This link has been used as many times as it allows.',
  revoked: 'This link has been withdrawn by the person who shared it.',
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
