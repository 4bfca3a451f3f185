// Keys with spaces, `+`, `%`, unicode and reserved characters sign to URLs that RGW accepts, with
// query values (content-disposition) that contain spaces (mhart/aws4fetch#83).
import { expect, it } from 'vitest'
import { config, describeS3, objectText, s3Get, s3Put, uniqueUser } from '../helpers'
import { createPresigner, presignUrl } from '../../src/signing/presign'
import { downloadOverrides } from '../../src/downloads/content-disposition'
import { userRoot } from '../../src/keys'
import { displayName } from '../../src/uploads/object-names'

const TRICKY_NAMES = [
  'plain.txt',
  'with space.txt',
  'plus+sign.txt',
  'percent%20literal.txt',
  '100%.txt',
  'tilde~and-dash_.txt',
  "quotes'and(parens)*!.txt",
  'ünïcödé 猫 🐱.txt',
  'a;b,c=d&e@f$g.txt',
  'deep/nested/dir/file name+1.txt',
  '[brackets] {braces} #hash ?q.txt',
]

function randomName(seed: number): string {
  const alphabet = [
    'a',
    'Z',
    '0',
    ' ',
    '+',
    '%',
    '~',
    '-',
    '_',
    '.',
    '!',
    "'",
    '(',
    ')',
    '*',
    '&',
    '=',
    ';',
    ',',
    'é',
    '猫',
    '🐱',
    '#',
    '?',
    '@',
    '$',
    '[',
    ']',
  ]
  let s = `r${seed}`
  let x = seed * 2654435761
  for (let i = 0; i < 24; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    s += alphabet[x % alphabet.length]
  }
  return s + '.bin'
}

describeS3('presigned URLs against RGW', () => {
  const user = uniqueUser('signer')
  const names = [...TRICKY_NAMES, ...Array.from({ length: 12 }, (_, i) => randomName(i + 1))]

  it.each(names)('GET and HEAD %s', async (name) => {
    const key = userRoot('users/', user) + name
    const body = new TextEncoder().encode(`content of ${name}`)
    await s3Put(key, body)
    for (const method of ['GET', 'HEAD'] as const) {
      const url = await presignUrl(config.s3, {
        method,
        key,
        expiresSeconds: 60,
        now: new Date(),
        query: downloadOverrides(displayName(key), config.download.inlineTypes),
      })
      expect(url).not.toMatch(/\+/) // spaces are %20, a literal + is %2B
      const res = await fetch(url, { method })
      expect(res.status, `${method} ${name}`).toBe(200)
      if (method === 'GET') expect(new Uint8Array(await res.arrayBuffer())).toEqual(body)
      expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="/)
    }
  })

  it('a presigned PUT stores the bytes under the exact key', async () => {
    const key = userRoot('users/', user) + 'put target + space.txt'
    const url = await presignUrl(config.s3, { method: 'PUT', key, expiresSeconds: 60, now: new Date() })
    expect((await fetch(url, { method: 'PUT', body: 'via put' })).status).toBe(200)
    const get = await presignUrl(config.s3, { method: 'GET', key, expiresSeconds: 60, now: new Date() })
    expect(await objectText(await fetch(get))).toBe('via put')
  })
})

describeS3('a batch of URLs from one presigner against RGW', () => {
  const user = uniqueUser('batch')

  it('every URL is accepted; a tampered signature, key or expiry is refused', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => userRoot('users/', user) + randomName(100 + i))
    await Promise.all(keys.map((key) => s3Put(key, new TextEncoder().encode(key))))
    const presigner = await createPresigner(config.s3, new Date())
    const urls = await Promise.all(
      keys.map((key) =>
        presigner.sign({
          method: 'GET',
          key,
          expiresSeconds: 60,
          query: downloadOverrides(displayName(key), config.download.inlineTypes),
        }),
      ),
    )
    for (const [i, url] of urls.entries()) {
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(await objectText(res)).toBe(keys[i])
    }
    const url = new URL(urls[0])
    const signature = url.searchParams.get('X-Amz-Signature')!
    const flipped = (signature[0] === '0' ? '1' : '0') + signature.slice(1)
    const tampered = [
      urls[0].replace(signature, flipped),
      urls[0].replace(url.pathname, new URL(urls[1]).pathname),
      urls[0].replace('X-Amz-Expires=60', 'X-Amz-Expires=61'),
    ]
    for (const bad of tampered) {
      const res = await fetch(bad)
      expect(res.status, bad).toBe(403)
      await res.arrayBuffer()
    }
  })

  it('a PUT with signed headers is accepted only with exactly those headers', async () => {
    const key = userRoot('users/', user) + 'signed headers.txt'
    const body = 'exactly this'
    const headers = { 'content-length': String(body.length), 'content-type': 'text/plain' }
    const url = await presignUrl(config.s3, { method: 'PUT', key, expiresSeconds: 60, now: new Date(), headers })
    const wrongType = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/html' } })
    expect(wrongType.status).toBe(403)
    await wrongType.arrayBuffer()
    const right = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } })
    expect(right.status).toBe(200)
    await right.arrayBuffer()
    expect(new TextDecoder().decode((await s3Get(key)).bytes)).toBe(body)
  })
})
