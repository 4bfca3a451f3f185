// The ListObjectsV2 scanner over RGW's own answers for tricky keys, across continuation tokens.
// Random documents without S3: test/unit/s3/list-page.test.ts.
import { expect, it } from 'vitest'
import { parseListObjectsV2 } from '../../src/s3/list-page'
import { s3Fetch } from '../../src/s3/client'
import { bucketUrl } from '../../src/s3/urls'
import { toQueryString } from '../../src/s3/encoding'
import { userRoot } from '../../src/keys'
import { config, describeS3, s3Put, uniqueUser } from '../helpers'

describeS3('the ListObjectsV2 scanner on RGW answers', () => {
  it('reads tricky keys exactly, across continuation tokens', async () => {
    const root = userRoot('users/', uniqueUser('scan'))
    const names = ['a&b<c>d"e\'f.txt', 'ünïcödé 猫 🐱.txt', 'tab\there.txt', '100% + more.txt', 'x]]>y.txt']
    for (const name of names) await s3Put(root + name, new TextEncoder().encode(name))
    let token: string | null = null
    const seen: string[] = []
    do {
      const params: [string, string][] = [
        ['list-type', '2'],
        ['prefix', root],
        ['max-keys', '2'],
      ]
      if (token) params.push(['continuation-token', token])
      const res = await s3Fetch(config.s3, `${bucketUrl(config.s3)}/?${toQueryString(params)}`)
      const page = parseListObjectsV2(await res.text())
      seen.push(...page.objects.map((o) => o.key))
      expect(page.objects.every((o) => o.size > 0 && /^[0-9a-f]{32}$/.test(o.etag))).toBe(true)
      token = page.nextToken
    } while (token)
    expect(seen.sort()).toEqual(names.map((n) => root + n).sort())
  })
})
