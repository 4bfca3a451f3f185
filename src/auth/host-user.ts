// Identity from a host app that mounts bucketgate (createGateway's getUser): the host has already
// signed the caller in, and names them. Security rule: the id it returns is the only identity, and
// becomes the key root exactly as a token's subject would (keys.ts); no id means 401.
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { userRoot } from '../keys'

/** The signed-in caller's stable id (it names their files), or null/undefined when nobody is. */
export type GetUser = (c: Context) => string | null | undefined | Promise<string | null | undefined>

export function hostUser(getUser: GetUser): MiddlewareHandler<AppEnv> {
  return async function hostUser(c, next) {
    const id = await getUser(c)
    if (typeof id !== 'string' || id === '') throw new ApiError(401, 'unauthenticated', 'Sign in first')
    c.set('user', { id, root: userRoot(c.var.config.userPrefix, id) })
    await next()
  }
}
