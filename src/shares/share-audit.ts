// The share links' audit trail: one JSON line per creation, download and revocation, for Workers
// Logs. The share id, the owner, the relative key; never a password or a presigned URL.
export type ShareAction = 'share_created' | 'share_downloaded' | 'share_revoked'

export function auditShare(
  action: ShareAction,
  detail: { user: string; share: string; key: string; downloads?: number; requestId?: string },
): void {
  console.log(JSON.stringify({ audit: action, ...detail }))
}
