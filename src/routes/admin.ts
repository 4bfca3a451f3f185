// Operator routes, behind ADMIN_TOKEN (auth/admin.ts). POST /api/admin/ledgers/:user/rebuild
// rebuilds one user's ledger from an S3 listing of their root and reports the drift it fixed; the
// user is a token subject, so the root comes from keys.ts as for any request of theirs.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { relativeKey, userRoot } from '../keys'
import { ledgerFor } from '../ledger/client'
import { validate } from '../util/validate'

const UserParam = v.object({ user: v.pipe(v.string(), v.nonEmpty('must name a user')) })

export const adminRoutes = new Hono<AppEnv>().post(
  '/ledgers/:user/rebuild',
  validate('param', UserParam),
  async (c) => {
    const { config } = c.var
    const id = c.req.valid('param').user
    const user = { id, root: userRoot(config.userPrefix, id) }
    const ledger = ledgerFor(c, user)
    if (!ledger) throw new ApiError(404, 'not_found', 'This deployment keeps no usage ledger (no LEDGER binding)')
    const drift = await ledger.rebuild()
    const relative = (keys: string[]) => keys.map((key) => relativeKey(user.root, key))
    return c.json({
      user: id,
      before: drift.before,
      after: drift.after,
      added: relative(drift.added),
      removed: relative(drift.removed),
      resized: relative(drift.resized),
    })
  },
)
