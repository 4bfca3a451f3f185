// What the signatures promise, enforced by S3 itself (Ceph RGW checks signatures and POST policy
// conditions; s3rver would accept all of these). Each refused upload also stores nothing.
import { expect, it } from 'vitest'
import {
  config,
  describeS3,
  postToBucket,
  randomBytes,
  s3Get,
  ticketFor,
  uniqueUser,
  upload,
  type Ticket,
} from '../helpers'
import { createPostTicket } from '../../src/uploads/post-ticket'
import { presignUrl } from '../../src/signing/presign'
import { userRoot } from '../../src/keys'

const SIZE = 1000

async function freshTicket(user: string): Promise<Ticket> {
  return ticketFor(user, { name: 'a.png', type: 'image/png', size: SIZE })
}

async function expectRefusedAndNotStored(res: Response, fullKey: string) {
  expect([400, 403]).toContain(res.status)
  expect((await s3Get(fullKey)).status).toBe(404)
}

describeS3('POST policy enforced by RGW', () => {
  it('accepts exactly what the ticket describes (control)', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    expect((await postToBucket(t.upload, randomBytes(SIZE))).status).toBe(201)
    expect((await s3Get(userRoot('users/', user) + t.key)).status).toBe(200)
  })

  it('refuses a file bigger than declared', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    await expectRefusedAndNotStored(
      await postToBucket(t.upload, randomBytes(SIZE + 1)),
      userRoot('users/', user) + t.key,
    )
  })

  it('refuses a file smaller than declared', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    await expectRefusedAndNotStored(
      await postToBucket(t.upload, randomBytes(SIZE - 1)),
      userRoot('users/', user) + t.key,
    )
  })

  it('refuses a different key', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    const other = `${userRoot('users/', 'victim')}planted.png`
    const res = await postToBucket(t.upload, randomBytes(SIZE), { fields: { key: other } })
    await expectRefusedAndNotStored(res, other)
    expect((await s3Get(userRoot('users/', user) + t.key)).status).toBe(404)
  })

  it('refuses a different Content-Type', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    const res = await postToBucket(t.upload, randomBytes(SIZE), { fields: { 'Content-Type': 'text/html' } })
    await expectRefusedAndNotStored(res, userRoot('users/', user) + t.key)
  })

  it('refuses a tampered signature', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    const sig = t.upload.fields['x-amz-signature']
    const tampered = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1)
    const res = await postToBucket(t.upload, randomBytes(SIZE), { fields: { 'x-amz-signature': tampered } })
    await expectRefusedAndNotStored(res, userRoot('users/', user) + t.key)
  })

  it('refuses a policy edited to allow more', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    const policy = atob(t.upload.fields.policy).replace(`${SIZE},${SIZE}`, `0,${10 * SIZE}`)
    const res = await postToBucket(t.upload, randomBytes(5 * SIZE), { fields: { policy: btoa(policy) } })
    await expectRefusedAndNotStored(res, userRoot('users/', user) + t.key)
  })

  it('refuses an extra field the policy does not name', async () => {
    const user = uniqueUser('pol')
    const t = await freshTicket(user)
    const res = await postToBucket(t.upload, randomBytes(SIZE), { fields: { 'x-amz-meta-evil': '1' } })
    await expectRefusedAndNotStored(res, userRoot('users/', user) + t.key)
  })

  it('refuses an expired policy', async () => {
    const user = uniqueUser('pol')
    const key = `${userRoot('users/', user)}expired/a.png`
    const now = new Date(Date.now() - 10 * 60_000)
    const expired = await createPostTicket(config.s3, {
      key,
      contentType: 'image/png',
      size: SIZE,
      now,
      expiresAt: new Date(now.getTime() + 60_000),
    })
    await expectRefusedAndNotStored(await postToBucket(expired, randomBytes(SIZE)), key)
  })
})

describeS3('presigned downloads enforced by RGW', () => {
  it('refuses a tampered or expired download URL, accepts the genuine one', async () => {
    const user = uniqueUser('dl')
    const rel = await upload(user, 'secret.txt', 'text/plain', new TextEncoder().encode('top secret'))
    const key = userRoot('users/', user) + rel
    const genuine = await presignUrl(config.s3, { method: 'GET', key, expiresSeconds: 60, now: new Date() })
    expect((await fetch(genuine)).status).toBe(200)

    const url = new URL(genuine)
    const sig = url.searchParams.get('X-Amz-Signature')!
    url.searchParams.set('X-Amz-Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1))
    const tampered = await fetch(url)
    expect(tampered.status).toBe(403)
    expect(await tampered.text()).not.toContain('top secret')

    const otherKey = new URL(genuine)
    otherKey.pathname = otherKey.pathname.replace('secret.txt', 'other.txt')
    expect((await fetch(otherKey)).status).toBe(403)

    const longer = new URL(genuine)
    longer.searchParams.set('X-Amz-Expires', '600')
    expect((await fetch(longer)).status).toBe(403)

    const old = await presignUrl(config.s3, {
      method: 'GET',
      key,
      expiresSeconds: 60,
      now: new Date(Date.now() - 3600_000),
    })
    const expired = await fetch(old)
    expect(expired.status).toBe(403)
    expect(await expired.text()).not.toContain('top secret')
  })

  it('refuses anonymous reads: the bucket is private', async () => {
    const user = uniqueUser('anon')
    const rel = await upload(user, 'private.txt', 'text/plain', new TextEncoder().encode('private'))
    const res = await fetch(`${config.s3.endpoint.origin}/${config.s3.bucket}/${userRoot('users/', user)}${rel}`)
    expect(res.status).toBe(403)
  })
})
