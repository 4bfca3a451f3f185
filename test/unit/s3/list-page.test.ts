// The ListObjectsV2 scanner reads back exactly the keys S3 wrote, over seeded random documents
// (every escaped character, character references in decimal and hex, literal line ends, quoted and
// unquoted ETags, truncated pages); test/integration/list-page.test.ts reads RGW's own answers.
// (fast-xml-parser 5.12, which it replaced, left character references such as `&#13;` undecoded:
// keys that do not exist.)
import { describe, expect, it } from 'vitest'
import { parseListObjectsV2 } from '../../../src/s3/list-page'
import { prng } from '../../prng'

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
