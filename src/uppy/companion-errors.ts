// Uppy reads a failed Companion call's reason from a top-level `message`; bucketgate's errors carry
// it in `error.message`. This copies it up on every 4xx/5xx JSON answer of the Uppy routes, so both
// shapes hold: {"message", "error": {"code", "message"}}. Success bodies never carry `error`, which
// Uppy would take for a failure.
import type { MiddlewareHandler } from 'hono'

type ErrorBody = { error?: { message?: unknown } }

export function companionErrors(): MiddlewareHandler {
  return async function companionErrors(c, next) {
    await next()
    const res = c.res
    if (res.status < 400 || !res.headers.get('Content-Type')?.startsWith('application/json')) return
    const body = (await res.clone().json()) as ErrorBody
    const message = body.error?.message
    if (typeof message !== 'string') return
    const headers = new Headers(res.headers)
    headers.delete('Content-Length')
    c.res = undefined
    c.res = new Response(JSON.stringify({ message, ...body }), { status: res.status, headers })
  }
}
