// Request bodies for S3 are escaped XML: whatever text a value holds, S3's parser reads back that
// text, in the one element it was written into.
import { describe, expect, it } from 'vitest'
import { escapeXml, xmlDocument, xmlElement } from '../../../src/s3/xml-body'
import { parseXml } from '../../../src/s3/xml'
import { prng } from '../../prng'

/** Every character XML gives meaning to, the text of tags and references, and non-ASCII. */
const PIECES = [...'&<>"\'\r\n\t ;#/=?aZ09', '&amp;', '&#13;', '</ETag>', '<Part>', ']]>', '<!--', 'é', '猫', '🐱']

describe('escapeXml', () => {
  it('writes the five special characters and CR as references, and nothing else', () => {
    expect(escapeXml(`a&b<c>d"e'f\rg`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g')
    expect(escapeXml('&amp;')).toBe('&amp;amp;')
    expect(escapeXml('plain é 猫 🐱 \t\n')).toBe('plain é 猫 🐱 \t\n')
  })
})

describe('xmlElement', () => {
  it('round-trips 500 random values through an XML parser, one element each', () => {
    const { int } = prng(7)
    for (let i = 0; i < 500; i++) {
      let value = ''
      for (let j = 0, n = 1 + int(20); j < n; j++) value += PIECES[int(PIECES.length)]
      const body = xmlDocument('Doc', { Value: value, After: 'x' })
      expect(parseXml(body), body).toEqual({ Doc: { Value: value, After: 'x' } })
    }
  })

  it('a value shaped like markup stays text: no element is closed or added', () => {
    const etag = '"abc"</ETag></Part><Part><PartNumber>9</PartNumber><ETag>"x"'
    const body = xmlDocument('CompleteMultipartUpload', { Part: [{ PartNumber: 1, ETag: etag }] })
    expect(body.match(/<Part>/g)).toHaveLength(1)
    expect(parseXml(body)).toEqual({ CompleteMultipartUpload: { Part: [{ PartNumber: '1', ETag: etag }] } })
  })

  it('writes S3 bodies exactly: arrays repeat the element, objects nest, numbers as digits', () => {
    expect(
      xmlDocument('CompleteMultipartUpload', {
        Part: [
          { PartNumber: 1, ETag: '"a1"' },
          { PartNumber: 2, ETag: '"b2"' },
        ],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>' +
        '<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;b2&quot;</ETag></Part>' +
        '</CompleteMultipartUpload>',
    )
    expect(xmlElement('CORSRule', { AllowedMethod: ['GET', 'PUT'], MaxAgeSeconds: 3600, ExposeHeader: [] })).toBe(
      '<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule>',
    )
    expect(xmlElement('Filter', { Prefix: '' })).toBe('<Filter><Prefix></Prefix></Filter>')
  })
})
