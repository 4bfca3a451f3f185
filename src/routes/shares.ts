// The caller's share links: create one for a file of theirs, list them, revoke one. The key is
// resolved under the caller's root like every other key; a share id someone else owns is 404.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { resolveKey } from '../keys'
import { displayName } from '../uploads/object-names'
import { headObject } from '../s3/head-object'
import { newShareId, isShareId } from '../shares/share-id'
import { hashPassword, MAX_PASSWORD_LENGTH } from '../shares/share-password'
import { reachShare, shareLink } from '../shares/share-client'
import { entryOf } from '../shares/share-index'
import { shareLedgerFor } from '../ledger/client'
import { audit } from '../util/audit'
import { shareUrl } from '../shares/share-url'
import { validate } from '../util/validate'

/** A link that may be fetched more often than this is one without a limit. */
const MAX_DOWNLOADS_LIMIT = 1_000_000
const MIN_EXPIRES_SECONDS = 60

const wholeNumber = (min: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`))

const CreateShare = v.object({
  key: v.string('must be a string'),
  expiresIn: wholeNumber(MIN_EXPIRES_SECONDS),
  maxDownloads: v.optional(
    v.nullable(v.pipe(wholeNumber(1), v.maxValue(MAX_DOWNLOADS_LIMIT, `must be at most ${MAX_DOWNLOADS_LIMIT}`))),
  ),
  password: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.minLength(1, 'must not be empty'),
      v.maxLength(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
    ),
  ),
})

export const shareRoutes = new Hono<AppEnv>()
  .post('/', validate('json', CreateShare), async (c) => {
    const { config, user, requestId } = c.var
    const body = c.req.valid('json')
    // The ceiling is a setting, so it is checked here rather than in the schema.
    if (body.expiresIn > config.share.maxTtlSeconds) {
      throw new ApiError(400, 'invalid_request', `expiresIn: must be at most ${config.share.maxTtlSeconds}`)
    }
    // Share links need both objects: say so before looking at anything else.
    const id = newShareId()
    const stub = shareLink(c.env, id)
    const ledger = shareLedgerFor(c)
    const key = resolveKey(user.root, body.key)
    const head = await headObject(config.s3, key)
    if (!head) throw new ApiError(404, 'not_found', 'No such file')
    const now = Date.now()
    const record = {
      id,
      ownerId: user.id,
      ownerRoot: user.root,
      key,
      name: displayName(key),
      size: head.size,
      type: head.type,
      createdAt: now,
      expiresAt: now + body.expiresIn * 1000,
      maxDownloads: body.maxDownloads ?? null,
      downloads: 0,
      revokedAt: null,
      password: body.password === undefined ? null : await hashPassword(body.password),
    }
    if (!(await reachShare(() => stub.create(record)))) throw new Error('share id collision')
    await ledger.addShare(entryOf(record))
    audit('share_created', { user: user.id, share: id, key: record.key.slice(user.root.length), requestId })
    return c.json(
      {
        id,
        url: shareUrl(config, c.req.url, c.var.mount, id),
        expiresAt: new Date(record.expiresAt).toISOString(),
        maxDownloads: record.maxDownloads,
      },
      201,
    )
  })
  .get('/', async (c) => {
    return c.json({ shares: await shareLedgerFor(c).listShares() })
  })
  .delete('/:id', async (c) => {
    const { user, requestId } = c.var
    const id = c.req.param('id')
    if (!isShareId(id)) throw new ApiError(404, 'not_found', 'No such share')
    const ledger = shareLedgerFor(c)
    const revoked = await reachShare(() => shareLink(c.env, id).revoke(user.root, Date.now()))
    if (!revoked) throw new ApiError(404, 'not_found', 'No such share')
    await ledger.shareRevoked(id)
    audit('share_revoked', { user: user.id, share: id, key: revoked.key, requestId })
    return c.body(null, 204)
  })
