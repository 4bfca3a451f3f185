// The ListObjectsV2 scanner reads back exactly the keys S3 wrote: over seeded random documents
// (every escaped character, character references in decimal and hex, literal line ends, quoted and
// unquoted ETags, truncated pages) and over RGW's own answers for tricky keys. (fast-xml-parser 5.12,
// which it replaced, left character references such as `&#13;` undecoded: keys that do not exist.)
import { describe, expect, it } from 'vitest'
import { parseListObjectsV2 } from '../../src/s3/list-page'
import { s3Fetch } from '../../src/s3/client'
import { bucketUrl } from '../../src/s3/urls'
import { toQueryString } from '../../src/s3/encoding'
import { userRoot } from '../../src/keys'
import { config, describeS3, s3Put, uniqueUser } from '../helpers'
import { prng } from '../prng'

const CHARS = [...'aZ09 -_.~/+%!*()', '&', '<', '>', '"', "'", 'é', '猫', '🐱', '\t', '\n', '\r', '\u0001', ']]>']

/** XML text for `s`, each character written one of the ways XML allows (S3 picks one of them). */
function escapeXml(s: string, int: (n: number) => number): string {
  let out = ''
  for (const c of s) {
    const code = c.codePointAt(0) as number
    const named = ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as Record<string, string>)[
      c
    ]
    const way = int(3)
    // A literal \r would be read as \n (XML line-end handling), so S3 must send it as a reference.
    if (way === 0 || c === '\r' || code < 0x09) out += `&#${code};`
    else if (way === 1) out += `&#x${code.toString(16)};`
    else out += named && (c === '&' || c === '<' || int(2)) ? named : c
  }
  return out
}

type Page = { objects: { key: string; size: number; lastModified: string; etag: string }[]; nextToken: string | null }

function randomDocument(int: (n: number) => number): { xml: string; want: Page } {
  const want: Page = { objects: [], nextToken: null }
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
  ]
  parts.push('<Name>bucket</Name><Prefix>users/a/</Prefix><MaxKeys>1000</MaxKeys>')
  const truncated = int(2) === 1
  parts.push(`<IsTruncated>${truncated}</IsTruncated>`)
  const n = int(30)
  parts.push(`<KeyCount>${n}</KeyCount>`)
  for (let i = 0; i < n; i++) {
    let key = 'users/a/'
    for (let j = 0, len = 1 + int(40); j < len; j++) key += CHARS[int(CHARS.length)]
    const etag = '0123456789abcdef0123456789abcdef' + (int(2) ? '' : '-3')
    const size = int(1e9)
    const lastModified = `2026-11-28T10:00:0${i % 10}.000Z`
    want.objects.push({ key, size, lastModified, etag })
    parts.push(
      `<Contents><Key>${escapeXml(key, int)}</Key><LastModified>${lastModified}</LastModified>`,
      `<ETag>${int(2) ? `&quot;${etag}&quot;` : etag}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass>`,
      int(2) ? '<Owner><ID>owner</ID><DisplayName>o &amp; co</DisplayName></Owner>' : '',
      '<Type>Normal</Type></Contents>',
    )
  }
  if (truncated) {
    want.nextToken = '1/abc+def==&x<'
    parts.push(`<NextContinuationToken>${escapeXml(want.nextToken, int)}</NextContinuationToken>`)
  }
  parts.push('</ListBucketResult>')
  return { xml: parts.join(int(2) ? '' : '\n  '), want }
}

describe('the ListObjectsV2 scanner', () => {
  it('reads back the exact keys, sizes, dates, ETags and token of 500 random documents', () => {
    const { int } = prng(5)
    for (let i = 0; i < 500; i++) {
      const { xml, want } = randomDocument(int)
      expect(parseListObjectsV2(xml), xml).toEqual(want)
    }
  })

  it('decodes character references and normalizes literal line ends, as XML 1.0 says', () => {
    const xml = (key: string) =>
      `<ListBucketResult><Contents><Key>${key}</Key><Size>1</Size></Contents></ListBucketResult>`
    const keyOf = (key: string) => parseListObjectsV2(xml(key)).objects[0].key
    expect(keyOf('a&#13;b&#x1;c&#9;d')).toBe('a\rb\u0001c\td')
    expect(keyOf('&#38;lt;&#x1F431;')).toBe('&lt;🐱')
    expect(keyOf('line\r\nend\rx')).toBe('line\nend\nx')
  })

  it('refuses what is not a list answer or is cut short', () => {
    expect(() => parseListObjectsV2('<Error><Code>AccessDenied</Code></Error>')).toThrow(/ListBucketResult/)
    expect(() => parseListObjectsV2('<ListBucketResult><Contents><Key>a')).toThrow(/unclosed/)
  })
})

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
