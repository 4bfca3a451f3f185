// S3's XML answers (errors, CreateMultipartUpload, ListParts) read into typed values, with entity
// and character references decoded; test/integration/xml.test.ts reads RGW's own answers.
import { describe, expect, it } from 'vitest'
import {
  completeMultipartError,
  parseCompleteMultipartUpload,
  parseInitiateMultipartUpload,
  parseListParts,
  parseS3Error,
  parseXml,
} from '../../../src/s3/xml'

const DECL = '<?xml version="1.0" encoding="UTF-8"?>'

describe('parseS3Error', () => {
  it('decodes named, decimal and hex references and normalizes literal line ends', () => {
    const xml = `${DECL}\n<Error><Code>NoSuchKey</Code><Message>key a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; x&#13;y &#x1F431;\r\nend</Message></Error>`
    expect(parseS3Error(xml)).toEqual({ code: 'NoSuchKey', message: `key a&b <c> "d" 'e' x\ry 🐱\nend` })
  })

  it('gives nothing for an empty body, plain text, malformed XML or another document', () => {
    for (const body of ['', 'Bad Gateway', '<Error><Code>X</Code>', `${DECL}<Other/>`, '<Error>&bogus;</Error>']) {
      expect(parseS3Error(body), body).toEqual({})
    }
  })

  it('leaves an absent message undefined', () => {
    expect(parseS3Error('<Error><Code>AccessDenied</Code><Message></Message></Error>')).toEqual({
      code: 'AccessDenied',
      message: undefined,
    })
  })
})

describe('parseInitiateMultipartUpload', () => {
  it('reads the UploadId, decoded', () => {
    const xml = `${DECL}<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>a&amp;b</Key><UploadId>2~x&amp;y</UploadId></InitiateMultipartUploadResult>`
    expect(parseInitiateMultipartUpload(xml)).toEqual({ uploadId: '2~x&y' })
    expect(() => parseInitiateMultipartUpload('<InitiateMultipartUploadResult/>')).toThrow(/UploadId/)
  })
})

describe('parseListParts', () => {
  const page = (parts: string, tail = '<IsTruncated>false</IsTruncated>') =>
    `${DECL}<ListPartsResult><Bucket>b</Bucket><Key>k &amp; &#13;</Key><UploadId>u</UploadId>${tail}${parts}</ListPartsResult>`
  const part = (n: number, etag: string, size: number) =>
    `<Part><PartNumber>${n}</PartNumber><LastModified>2026-11-28T10:00:00.000Z</LastModified><ETag>${etag}</ETag><Size>${size}</Size></Part>`

  it('reads AWS quoted (&quot;) and RGW bare ETags as one form; one part is still a list', () => {
    expect(parseListParts(page(part(1, '&quot;0a1b&quot;', 5)))).toEqual({
      parts: [{ partNumber: 1, etag: '0a1b', size: 5 }],
      nextMarker: null,
    })
    expect(parseListParts(page(part(1, '"0a1b"', 5) + part(2, '2c3d', 7))).parts).toEqual([
      { partNumber: 1, etag: '0a1b', size: 5 },
      { partNumber: 2, etag: '2c3d', size: 7 },
    ])
    expect(parseListParts(page('')).parts).toEqual([])
  })

  it('follows truncated pages by NextPartNumberMarker', () => {
    const tail = '<IsTruncated>true</IsTruncated><NextPartNumberMarker>1000</NextPartNumberMarker>'
    expect(parseListParts(page(part(1000, 'e', 1), tail)).nextMarker).toBe('1000')
  })

  it('refuses another document', () => {
    expect(() => parseListParts('<Error><Code>NoSuchUpload</Code></Error>')).toThrow(/ListPartsResult/)
  })
})

describe('completeMultipartError', () => {
  it('finds an error sent after S3 streamed whitespace with a 200, and nothing in a success', () => {
    const error = `${DECL}\n\n   <Error><Code>InvalidPart</Code><Message>part &#49; is gone</Message></Error>`
    expect(completeMultipartError(`  \n${error}`)).toEqual({ code: 'InvalidPart', message: 'part 1 is gone' })
    const ok = `${DECL}\n<CompleteMultipartUploadResult><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;e-2&quot;</ETag></CompleteMultipartUploadResult>`
    expect(completeMultipartError(`   ${ok}`)).toBeNull()
  })
})

describe('parseCompleteMultipartUpload', () => {
  it("reads the object's ETag unquoted; RGW's empty one stays empty", () => {
    const result = (etag: string) =>
      `${DECL}\n<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>${etag}</ETag></CompleteMultipartUploadResult>`
    expect(parseCompleteMultipartUpload(`  ${result('&quot;3858f62230ac3c915f300c664312c11f-9&quot;')}`)).toEqual({
      etag: '3858f62230ac3c915f300c664312c11f-9',
    })
    expect(parseCompleteMultipartUpload(result(''))).toEqual({ etag: '' })
  })
})

describe('parseXml', () => {
  it('repeated elements are lists, others plain strings or objects', () => {
    const xml =
      '<CORSConfiguration><CORSRule><AllowedOrigin>o</AllowedOrigin><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>'
    expect(parseXml(xml)).toEqual({ CORSConfiguration: { CORSRule: [{ AllowedOrigin: ['o'], MaxAgeSeconds: '5' }] } })
  })

  it('an element named __proto__ is only a name, and DTD entities are not expanded', () => {
    const doc = parseXml('<a><__proto__><polluted>yes</polluted></__proto__></a>')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((doc.a as Record<string, unknown>)['__proto__']).toEqual({ polluted: 'yes' })
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;&x;</a>')).toThrow()
  })
})
