// The audit trail: one structured JSON line per ticket, confirmation, download redirect, delete and
// quota refusal, for Workers Logs. User id, action, relative key, size and request id; nothing secret.
import type { Context } from 'hono'
import type { AppEnv } from './env'

export type AuditAction = 'ticket' | 'multipart_ticket' | 'confirm' | 'download' | 'delete' | 'quota_refused'

export function audit(c: Context<AppEnv>, action: AuditAction, detail: { key?: string; size?: number } = {}): void {
  console.log(
    JSON.stringify({
      audit: action,
      user: c.var.user?.id,
      key: detail.key,
      size: detail.size,
      requestId: c.var.requestId,
    }),
  )
}
