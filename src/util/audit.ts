// The audit trail: one structured JSON line per action (ticket, confirmation, download redirect,
// delete, quota refusal, share link created, downloaded or revoked) for Workers Logs. Only these fields, so nothing secret can slip in.
export type AuditAction =
  | 'ticket'
  | 'multipart_ticket'
  | 'confirm'
  | 'download'
  | 'delete'
  | 'quota_refused'
  | 'share_created'
  | 'share_downloaded'
  | 'share_revoked'

/** `user` is always the file's owner (a share download's visitor has no identity); `share` a link's id. */
export type AuditEntry = {
  user: string
  key?: string
  size?: number
  share?: string
  downloads?: number
  requestId: string
}

export function audit(action: AuditAction, { user, key, size, share, downloads, requestId }: AuditEntry): void {
  console.log(JSON.stringify({ audit: action, user, key, size, share, downloads, requestId }))
}
