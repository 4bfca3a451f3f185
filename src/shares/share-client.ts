// How routes reach a share link's Durable Object: by its id alone (the id is checked first, so a
// malformed one never wakes an object). Without a SHARES binding share links are off (404), and an
// object that cannot be reached is a 503 `shares_unavailable`.
import type { Bindings } from '../env'
import { ApiError } from '../errors'
import type { ShareLink } from './share-link'

export function shareLink(env: Bindings, id: string): DurableObjectStub<ShareLink> {
  if (!env.SHARES) throw new ApiError(404, 'shares_disabled', 'Share links are not enabled on this deployment')
  return env.SHARES.getByName(id)
}

/** Runs one call to a share's object; a failure to reach it is the service's, not the caller's. */
export async function reachShare<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof ApiError) throw err
    console.error(JSON.stringify({ shares: 'unreachable', error: String(err) }))
    throw new ApiError(503, 'shares_unavailable', 'Share links cannot be reached right now; try again shortly')
  }
}
