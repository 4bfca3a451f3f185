// The audit trail: one structured JSON line per action (ticket, confirmation, download redirect,
// delete, quota refusal) for Workers Logs. Only these fields, so nothing secret can slip in.
export type AuditAction = 'ticket' | 'multipart_ticket' | 'confirm' | 'download' | 'delete' | 'quota_refused'

export type AuditEntry = { user: string; key?: string; size?: number; requestId: string }

export function audit(action: AuditAction, { user, key, size, requestId }: AuditEntry): void {
  console.log(JSON.stringify({ audit: action, user, key, size, requestId }))
}
