// The one error shape every failure takes: {"error": {"code", "message"}} with the right status.
// Refused requests throw ApiError; S3 failures become 502/504; anything unexpected is logged and
// answered with a generic 500 that carries no stack trace or internal detail.
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Context } from 'hono'

/** A setting is missing or invalid (config.ts names it); every request answers with it. */
export class ConfigError extends Error {}

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message })
  }
}

/** S3 answered with an error status; `s3Code` is the <Code> from its XML body. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly s3Code: string,
    readonly s3Message: string,
  ) {
    super(`S3 answered ${status} ${s3Code}${s3Message ? `: ${s3Message}` : ''}`)
  }
}

/** S3 did not answer in time (504) or could not be reached at all (502). */
export class S3Unavailable extends Error {
  constructor(
    readonly timedOut: boolean,
    message: string,
  ) {
    super(message)
  }
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  415: 'unsupported_type',
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } }
}

export function toErrorResponse(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message), err.status)
  }
  if (err instanceof HTTPException) {
    // Hono's own middleware (csrf, body parsing) throws these with plain-text messages.
    const status = err.status >= 400 && err.status < 500 ? err.status : 500
    const message = err.message || (status === 403 ? 'Cross-site request refused' : 'Request refused')
    return c.json(errorBody(CODE_FOR_STATUS[status] ?? 'error', message), status as ContentfulStatusCode)
  }
  if (err instanceof ConfigError) {
    console.error(err.message)
    return c.json(errorBody('config_error', err.message), 500)
  }
  if (err instanceof S3Error) {
    return c.json(errorBody('s3_error', `The storage service refused the request: ${err.s3Code} (${err.status})`), 502)
  }
  if (err instanceof S3Unavailable) {
    const status = err.timedOut ? 504 : 502
    return c.json(errorBody(err.timedOut ? 's3_timeout' : 's3_unreachable', err.message), status)
  }
  console.error('unhandled error', err)
  return c.json(errorBody('internal', 'Something went wrong on our side'), 500)
}
