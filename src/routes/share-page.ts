// The public side of share links, outside /api and without sign-in: the page at /s/<id> and its
// download, a 302 to a presigned GET that lives SHARE_LINK_TTL_SECONDS, counted once per redirect.
// A password travels only in the form's POST body. Answers are HTML pages in words (only the service's
// own failures, S3 or an unreachable object, keep the JSON error shape).
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { routePath } from 'hono/route'
import type { AppEnv } from '../env'
import { downloadSigner } from '../downloads/signer'
import { objectExists } from '../s3/objects'
import { isShareId } from '../shares/share-id'
import { reachShare, shareLink } from '../shares/share-client'
import { shareLedgerFor } from '../ledger/client'
import { audit } from '../util/audit'
import type { Claim, ShareView } from '../shares/share-link'
import { GONE_WORDS } from '../shares/share-record'
import { filePage, messagePage, passwordPage, type PageAt } from '../shares/share-page'
import { MAX_PASSWORD_LENGTH } from '../shares/share-password'

/** The password form's body: one short field. */
const MAX_FORM_BYTES = 2048

type ShareContext = Context<AppEnv, '/:id' | '/:id/download'>

/** Which URL answers, so the page's links can be relative to it (and so stay below any mount). */
const pageAt = (c: ShareContext): PageAt => (routePath(c).endsWith('/:id/download') ? 'download' : 'link')

const notFound = (c: ShareContext) =>
  c.html(messagePage(pageAt(c), 'No such link', 'There is no file at this link. Check that it was copied whole.'), 404)

const deleted = (c: ShareContext) =>
  c.html(messagePage(pageAt(c), 'This link no longer works', GONE_WORDS.file_deleted), 410)

/**
 * The share behind the URL if it can still give its file, or the page that says why not: unknown
 * (404), expired, used up, revoked or its file deleted (410). The file is looked up in S3 every time,
 * so a deleted file's links stop at once, whatever path deleted it.
 */
async function usableShare(c: ShareContext): Promise<{ view: ShareView } | { refusal: Response | Promise<Response> }> {
  const id = c.req.param('id')
  // Without share links on this deployment, every link is unknown.
  if (!isShareId(id) || !c.env.SHARES) return { refusal: notFound(c) }
  const stub = shareLink(c.env, id)
  const view = await reachShare(() => stub.view(Date.now()))
  if (!view) return { refusal: notFound(c) }
  if (view.state !== 'active') {
    return { refusal: c.html(messagePage(pageAt(c), 'This link no longer works', GONE_WORDS[view.state]), 410) }
  }
  if (!(await objectExists(c.var.config.s3, view.key))) return { refusal: deleted(c) }
  return { view }
}

/** Counts one download and redirects to the file, or answers why not. */
async function download(c: ShareContext, password: string | null): Promise<Response> {
  const id = c.req.param('id')
  const { config, requestId } = c.var
  // RPC's typing of a union return loses the discriminant; the object returns exactly a Claim.
  const claim = (await reachShare(async () => shareLink(c.env, id).claim(password, Date.now()))) as Claim
  if (!claim.ok) {
    switch (claim.reason) {
      case 'not_found':
        return notFound(c)
      case 'gone':
        return c.html(messagePage(pageAt(c), 'This link no longer works', GONE_WORDS[claim.state]), 410)
      case 'password_required':
        return c.html(passwordPage(pageAt(c), id), 403) // 401 would need a WWW-Authenticate scheme; this is a form
      case 'wrong_password':
        return c.html(passwordPage(pageAt(c), id, 'That password is not right. Try again.'), 403)
      case 'rate_limited':
        c.header('Retry-After', String(claim.retryAfterSeconds))
        return c.html(
          messagePage(
            pageAt(c),
            'Too many tries',
            `Too many wrong passwords for this link. Wait ${claim.retryAfterSeconds} seconds, then try again.`,
          ),
          429,
        )
    }
  }
  const [url] = await downloadSigner(config, new Date(), {
    windowed: false,
    ttlSeconds: config.share.linkTtlSeconds,
  })([claim.key])
  // The owner's list and webhook follow the link's count; the download goes ahead even if the
  // ledger is out of reach (it logs that).
  await Promise.resolve()
    .then(() => shareLedgerFor(c, { id: claim.ownerId, root: claim.ownerRoot }).shareDownloaded(id, claim.downloads))
    .catch(() => {})
  audit('share_downloaded', {
    user: claim.ownerId,
    share: id,
    key: claim.key.slice(claim.ownerRoot.length),
    downloads: claim.downloads,
    requestId,
  })
  return c.redirect(url, 302)
}

export const sharePageRoutes = new Hono<AppEnv>()
  .use(async function privatePages(c, next) {
    await next()
    // A share page or redirect is for whoever holds the link: no shared cache keeps it, no index lists it.
    c.header('Cache-Control', 'no-store')
    c.header('X-Robots-Tag', 'noindex')
  })
  .get('/:id', async (c) => {
    const usable = await usableShare(c)
    if ('refusal' in usable) return usable.refusal
    const { view } = usable
    if (view.hasPassword) return c.html(passwordPage(pageAt(c), c.req.param('id')))
    return c.html(filePage(pageAt(c), c.req.param('id'), view))
  })
  .get('/:id/download', async (c) => {
    const usable = await usableShare(c)
    if ('refusal' in usable) return usable.refusal
    return download(c, null)
  })
  .post(
    '/:id/download',
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('Form too large', 413) }),
    // Only this site's own form may post here (Origin or Sec-Fetch-Site): another site cannot make
    // its visitors' browsers post guesses, or use up a link's tries for its owner.
    csrf(),
    async (c) => {
      const usable = await usableShare(c)
      if ('refusal' in usable) return usable.refusal
      const form = await c.req.parseBody()
      const password = typeof form.password === 'string' ? form.password : ''
      if (!password || password.length > MAX_PASSWORD_LENGTH) {
        return c.html(passwordPage(pageAt(c), c.req.param('id'), 'Enter the password.'), 400)
      }
      return download(c, password)
    },
  )
