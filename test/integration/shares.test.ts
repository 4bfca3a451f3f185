// Share links against Ceph RGW: a link gives exactly the owner's bytes through a short presigned
// URL, counts every download (races included), refuses wrong passwords and then everyone for a
// while, stops at its limit, its revocation or its file's deletion (which the owner's list shows),
// and never lets one user share, list or revoke another's files.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import app from '../../src/index'
import { userRoot } from '../../src/keys'
import type { ShareLink } from '../../src/shares/share-link'
import { KEEP_AFTER_EXPIRY_MS, type ShareRecord } from '../../src/shares/share-record'
import type { UserLedger } from '../../src/ledger/user-ledger'
import { confirm, ledgerStub } from './ledger/ledger-helpers'
import { api, config, describeS3, errorOf, filePath, randomBytes, s3Put, testEnv, upload, uniqueUser } from '../helpers'

type Created = { id: string; url: string; expiresAt: string; maxDownloads: number | null }

async function share(user: string, body: Record<string, unknown>): Promise<Created> {
  const res = await api('/api/shares', { method: 'POST', user, json: { expiresIn: 3600, ...body } })
  if (res.status !== 201) throw new Error(`share refused: ${res.status} ${await res.text()}`)
  return res.json()
}

/** A signed-out visitor: no token, no cookie; form posts carry the page's own Origin, as browsers send it. */
async function visit(path: string, init: RequestInit = {}, bindings: object = testEnv): Promise<Response> {
  return app.request(`http://localhost${path}`, { redirect: 'manual', ...init }, bindings)
}

function postPassword(id: string, password: string, origin = 'http://localhost'): Promise<Response> {
  return visit(`/s/${id}/download`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ password }).toString(),
  })
}

async function downloadBytes(location: string): Promise<Uint8Array> {
  const res = await fetch(location)
  expect(res.status).toBe(200)
  return new Uint8Array(await res.arrayBuffer())
}

const linkObject = (id: string) =>
  (testEnv as unknown as { SHARES: DurableObjectNamespace<ShareLink> }).SHARES.getByName(id)

function editRecord(id: string, edit: (r: ShareRecord) => ShareRecord): Promise<void> {
  return runInDurableObject(linkObject(id), (_instance, state) => {
    state.storage.kv.put('share', edit(state.storage.kv.get<ShareRecord>('share')!))
  })
}

describeS3('share links', () => {
  it('gives a signed-out visitor the exact bytes through a short-lived attachment URL', async () => {
    const owner = uniqueUser('sharer')
    const bytes = randomBytes(4096)
    // Uploads never name a file like this, but a key in the bucket may hold anything: the page escapes it.
    const key = 'files/<img src=x onerror=alert(1)> & co.txt'
    await s3Put(userRoot(config.userPrefix, owner) + key, bytes, 'text/plain')
    const created = await share(owner, { key })
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(created.url).toBe(`http://localhost/s/${created.id}`)
    expect(created.maxDownloads).toBeNull()
    // Nothing about the owner or the key is in the link.
    expect(created.url).not.toContain(owner)
    expect(created.url).not.toContain('files')

    const page = await visit(`/s/${created.id}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(page.headers.get('Cache-Control')).toBe('no-store')
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer')
    const html = await page.text()
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co.txt')
    expect(html).not.toContain('<img')
    expect(html).toContain('4 KB')
    expect(html).not.toContain('<script')
    expect(html).toContain(`href="${created.id}/download"`)

    const res = await visit(`/s/${created.id}/download`)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('Location')!)
    expect(location.searchParams.get('X-Amz-Expires')).toBe(String(config.share.linkTtlSeconds))
    expect(location.searchParams.get('response-content-disposition')).toMatch(/^attachment; filename=/)
    expect(await downloadBytes(location.href)).toEqual(bytes)
  })

  it('serves a safe image inline and an HTML file as an attachment', async () => {
    const owner = uniqueUser('sharer')
    const png = await upload(owner, 'cat.png', 'image/png', randomBytes(100))
    const htmlKey = 'files/page.html'
    await s3Put(
      userRoot(config.userPrefix, owner) + htmlKey,
      new TextEncoder().encode('<script>alert(1)</script>'),
      'text/html',
    )
    const image = await share(owner, { key: png })
    const page = await share(owner, { key: htmlKey })
    const imageAt = new URL((await visit(`/s/${image.id}/download`)).headers.get('Location')!)
    expect(imageAt.searchParams.get('response-content-disposition')).toBe('inline')
    const pageAt = new URL((await visit(`/s/${page.id}/download`)).headers.get('Location')!)
    expect(pageAt.searchParams.get('response-content-disposition')).toBe('attachment; filename="page.html"')
  })

  it('signs a URL that stops working after SHARE_LINK_TTL_SECONDS', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'soon.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key })
    const shortLived = { ...testEnv, SHARE_LINK_TTL_SECONDS: '10' }
    const res = await visit(`/s/${created.id}/download`, {}, shortLived)
    const location = res.headers.get('Location')!
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('10')
    expect((await fetch(location)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 11_000))
    const late = await fetch(location)
    expect(late.status).toBe(403)
    expect(await late.text()).toContain('AccessDenied')
  }, 30_000)

  it('allows exactly maxDownloads downloads, one after another', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'twice.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key, maxDownloads: 2 })
    expect(created.maxDownloads).toBe(2)
    expect((await visit(`/s/${created.id}/download`)).status).toBe(302)
    expect((await visit(`/s/${created.id}/download`)).status).toBe(302)
    const third = await visit(`/s/${created.id}/download`)
    expect(third.status).toBe(410)
    expect(third.headers.get('Location')).toBeNull()
    expect(await third.text()).toContain('used as many times as it allows')
    expect((await visit(`/s/${created.id}`)).status).toBe(410)

    const list = await api('/api/shares', { user: owner })
    expect(list.status).toBe(200)
    const { shares } = (await list.json()) as { shares: Record<string, unknown>[] }
    expect(shares).toEqual([
      expect.objectContaining({
        id: created.id,
        key,
        name: 'twice.txt',
        downloads: 2,
        maxDownloads: 2,
        state: 'used_up',
      }),
    ])
  })

  it('allows exactly maxDownloads downloads when they race', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'race.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key, maxDownloads: 2 })
    const answers = await Promise.all(Array.from({ length: 8 }, () => visit(`/s/${created.id}/download`)))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([302, 302, 410, 410, 410, 410, 410, 410])
  })

  it('asks for the password first and never puts it in a URL', async () => {
    const owner = uniqueUser('sharer')
    const bytes = randomBytes(64)
    const key = await upload(owner, 'secret-plan.txt', 'text/plain', bytes)
    const created = await share(owner, { key, password: 'correct horse' })

    const page = await visit(`/s/${created.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`<form class="inline-form" method="post" action="${created.id}/download">`)
    expect(html).toContain('type="password"')
    expect(html).not.toContain('secret-plan') // no details before the password

    const bare = await visit(`/s/${created.id}/download`)
    expect(bare.status).toBe(403)
    expect(bare.headers.get('Location')).toBeNull()

    const wrong = await postPassword(created.id, 'wrong horse')
    expect(wrong.status).toBe(403)
    expect(wrong.headers.get('Location')).toBeNull()
    expect(await wrong.text()).toContain('That password is not right')

    const right = await postPassword(created.id, 'correct horse')
    expect(right.status).toBe(302)
    const location = right.headers.get('Location')!
    expect(location).not.toContain('horse')
    expect(await downloadBytes(location)).toEqual(bytes)
  })

  it('refuses every try for a while after 5 wrong passwords in a minute, racing or not', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'locked.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key, password: 'open sesame' })
    // Eight racing guesses: exactly five are checked, the other three wait like everyone else.
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => postPassword(created.id, `guess ${i}`)))
    expect(guesses.map((r) => r.status).sort()).toEqual([403, 403, 403, 403, 403, 429, 429, 429])
    const sixth = await postPassword(created.id, 'guess 6')
    expect(sixth.status).toBe(429)
    const retryAfter = Number(sixth.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    // The right password waits too: otherwise the limit would not slow a guesser down.
    expect((await postPassword(created.id, 'open sesame')).status).toBe(429)
  })

  it('refuses a password posted from another site', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'csrf.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key, password: 'pw' })
    expect((await postPassword(created.id, 'pw', 'https://evil.example')).status).toBe(403)
    expect((await postPassword(created.id, 'pw')).status).toBe(302)
  })

  it('answers 410 once revoked, 410 once expired, 410 once the file is deleted, and 404 for an unknown id', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'gone.txt', 'text/plain', randomBytes(10))
    const revoked = await share(owner, { key })
    const expired = await share(owner, { key })
    const deleted = await share(owner, { key })

    expect((await api(`/api/shares/${revoked.id}`, { method: 'DELETE', user: owner })).status).toBe(204)
    expect((await api(`/api/shares/${revoked.id}`, { method: 'DELETE', user: owner })).status).toBe(204)
    for (const path of [`/s/${revoked.id}`, `/s/${revoked.id}/download`]) {
      const res = await visit(path)
      expect(res.status).toBe(410)
      expect(await res.text()).toContain('withdrawn')
    }

    const listed = (await (await api('/api/shares', { user: owner })).json()) as {
      shares: { id: string; state: string }[]
    }
    expect(listed.shares.find((s) => s.id === revoked.id)?.state).toBe('revoked')

    await editRecord(expired.id, (r) => ({ ...r, expiresAt: Date.now() - 1000 }))
    const late = await visit(`/s/${expired.id}/download`)
    expect(late.status).toBe(410)
    expect(await late.text()).toContain('expired')

    expect((await api(filePath(key), { method: 'DELETE', user: owner })).status).toBe(204)
    for (const path of [`/s/${deleted.id}`, `/s/${deleted.id}/download`]) {
      const res = await visit(path)
      expect(res.status).toBe(410)
      expect(await res.text()).toContain('deleted')
    }

    for (const path of [
      '/s/AAAAAAAAAAAAAAAAAAAAAA',
      '/s/AAAAAAAAAAAAAAAAAAAAAA/download',
      '/s/short',
      '/s/..%2f..%2fetc',
    ]) {
      expect((await visit(path)).status).toBe(404)
    }
  })
})

describeS3('share links whose file is deleted', () => {
  type Listed = { id: string; state: string }
  const listOf = async (user: string) =>
    ((await (await api('/api/shares', { user })).json()) as { shares: Listed[] }).shares
  const stateOf = (shares: Listed[], id: string) => shares.find((s) => s.id === id)?.state

  it('are listed as file_deleted once the file is deleted through the API, recorded by the ledger or not', async () => {
    const owner = uniqueUser('sharer')
    const recorded = await upload(owner, 'recorded.txt', 'text/plain', randomBytes(10))
    expect((await confirm(testEnv, owner, recorded)).status).toBe(200)
    // Put straight into the bucket: a file from before the ledger, absent from its files table.
    const older = 'files/older.txt'
    await s3Put(userRoot(config.userPrefix, owner) + older, randomBytes(10), 'text/plain')
    const kept = await upload(owner, 'kept.txt', 'text/plain', randomBytes(10))
    const [ofRecorded, ofOlder, ofKept] = [
      await share(owner, { key: recorded }),
      await share(owner, { key: older }),
      await share(owner, { key: kept }),
    ]

    for (const key of [recorded, older]) {
      expect((await api(filePath(key), { method: 'DELETE', user: owner })).status).toBe(204)
    }
    const shares = await listOf(owner)
    expect(stateOf(shares, ofRecorded.id)).toBe('file_deleted')
    expect(stateOf(shares, ofOlder.id)).toBe('file_deleted')
    expect(stateOf(shares, ofKept.id)).toBe('active')
    for (const { id } of [ofRecorded, ofOlder]) {
      for (const path of [`/s/${id}`, `/s/${id}/download`]) {
        const res = await visit(path)
        expect(res.status, path).toBe(410)
        expect(await res.text()).toContain('The shared file has been deleted.')
      }
    }
    expect((await visit(`/s/${ofKept.id}/download`)).status).toBe(302)
  })

  it('stay revoked when revoked first, and work again once a file is recorded at the key again', async () => {
    const owner = uniqueUser('sharer')
    const key = 'files/again.txt'
    const fullKey = userRoot(config.userPrefix, owner) + key
    await s3Put(fullKey, randomBytes(10), 'text/plain')
    const revoked = await share(owner, { key })
    const reused = await share(owner, { key })
    expect((await api(`/api/shares/${revoked.id}`, { method: 'DELETE', user: owner })).status).toBe(204)
    expect((await api(filePath(key), { method: 'DELETE', user: owner })).status).toBe(204)
    expect(stateOf(await listOf(owner), revoked.id)).toBe('revoked')
    expect(stateOf(await listOf(owner), reused.id)).toBe('file_deleted')

    const bytes = randomBytes(20)
    await s3Put(fullKey, bytes, 'text/plain')
    // The operator's repair records the file the ledger missed.
    const drift = await runInDurableObject(ledgerStub(owner), (ledger: UserLedger) =>
      ledger.rebuild({ id: owner, root: userRoot(config.userPrefix, owner) }),
    )
    expect(drift.added).toEqual([fullKey])
    expect(stateOf(await listOf(owner), reused.id)).toBe('active')
    const res = await visit(`/s/${reused.id}/download`)
    expect(res.status).toBe(302)
    expect(await downloadBytes(res.headers.get('Location')!)).toEqual(bytes)
  })
})

describeS3('share links long after they end', () => {
  it('are forgotten 30 days after expiry: the page says 404 and the list drops them', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'old.txt', 'text/plain', randomBytes(10))
    const created = await share(owner, { key })
    const alarm = await runInDurableObject(linkObject(created.id), (_i, state) => state.storage.getAlarm())
    expect(alarm).toBe(Date.parse(created.expiresAt) + KEEP_AFTER_EXPIRY_MS)
    expect(await runDurableObjectAlarm(linkObject(created.id))).toBe(true)
    expect((await visit(`/s/${created.id}`)).status).toBe(404)

    await runInDurableObject(ledgerStub(owner), (_i, state) => {
      state.storage.sql.exec(
        'UPDATE shares SET expires_at = ? WHERE id = ?',
        Date.now() - KEEP_AFTER_EXPIRY_MS - 1,
        created.id,
      )
    })
    const { shares } = (await (await api('/api/shares', { user: owner })).json()) as { shares: unknown[] }
    expect(shares).toEqual([])
  })
})

describeS3('share links between users', () => {
  const hostileKeys = [
    '../alice/x.txt',
    '/users/alice/x.txt',
    'a/../../alice/x.txt',
    'a//b.txt',
    './x.txt',
    'a\\..\\x.txt',
    'x\u0000.txt',
    '',
  ]

  it('refuses every hostile key spelling with invalid_key', async () => {
    const mallory = uniqueUser('mallory')
    for (const key of hostileKeys) {
      const res = await api('/api/shares', { method: 'POST', user: mallory, json: { key, expiresIn: 600 } })
      const error = await errorOf(res)
      expect(error, key).toMatchObject({ status: 400, code: 'invalid_key' })
    }
  })

  it("cannot share, revoke or see another user's file or share", async () => {
    const alice = uniqueUser('alice')
    const mallory = uniqueUser('mallory')
    const key = await upload(alice, 'mine.txt', 'text/plain', randomBytes(10))
    // Alice's relative key means Mallory's own root to the server: there is no such file there.
    const res = await api('/api/shares', { method: 'POST', user: mallory, json: { key, expiresIn: 600 } })
    expect(await errorOf(res)).toMatchObject({ status: 404, code: 'not_found' })

    const created = await share(alice, { key })
    const revoke = await api(`/api/shares/${created.id}`, { method: 'DELETE', user: mallory })
    expect(await errorOf(revoke)).toMatchObject({ status: 404, code: 'not_found' })
    expect((await visit(`/s/${created.id}/download`)).status).toBe(302) // still Alice's, still working

    const listOf = async (user: string) =>
      ((await (await api('/api/shares', { user })).json()) as { shares: { id: string }[] }).shares.map((s) => s.id)
    expect(await listOf(mallory)).toEqual([])
    expect(await listOf(alice)).toEqual([created.id])
  })

  it('needs a signed-in owner to create or revoke', async () => {
    expect((await api('/api/shares', { method: 'POST', json: { key: 'x', expiresIn: 600 } })).status).toBe(401)
    const revoke = await api('/api/shares/AAAAAAAAAAAAAAAAAAAAAA', {
      method: 'DELETE',
      headers: { Origin: 'http://localhost' },
    })
    expect(revoke.status).toBe(401)
  })

  it('refuses an expiry beyond SHARE_MAX_TTL_SECONDS and a limit below 1', async () => {
    const owner = uniqueUser('sharer')
    const key = await upload(owner, 'x.txt', 'text/plain', randomBytes(10))
    const tooLong = await api('/api/shares', {
      method: 'POST',
      user: owner,
      json: { key, expiresIn: config.share.maxTtlSeconds + 1 },
    })
    expect(await errorOf(tooLong)).toMatchObject({ status: 400, code: 'invalid_request' })
    const noDownloads = await api('/api/shares', {
      method: 'POST',
      user: owner,
      json: { key, expiresIn: 600, maxDownloads: 0 },
    })
    expect(await errorOf(noDownloads)).toMatchObject({ status: 400, code: 'invalid_request' })
  })
})

describe('share ids', () => {
  it('are 22 base64url characters (128 bits) and never repeat', async () => {
    const { newShareId } = await import('../../src/shares/share-id')
    const ids = new Set(Array.from({ length: 1000 }, newShareId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})
