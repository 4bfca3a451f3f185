// Request validation through @hono/valibot-validator, answering failures in the one error shape.
import { vValidator } from '@hono/valibot-validator'
import type { GenericSchema } from 'valibot'
import { getDotPath } from 'valibot'
import type { ValidationTargets } from 'hono'
import { ApiError } from '../errors'

export function validate<T extends GenericSchema, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return vValidator(target, schema, (result) => {
    if (result.success) return
    const issue = result.issues[0]
    const field = getDotPath(issue)
    throw new ApiError(400, 'invalid_request', field ? `${field}: ${issue.message}` : issue.message)
  })
}
