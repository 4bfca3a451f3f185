// Downloads never render as pages: only configured raster images go inline, forced to their type.
import { describe, expect, it } from 'vitest'
import { contentDisposition, downloadOverrides } from '../../../src/downloads/content-disposition'

const inline = ['image/png', 'image/jpeg']

describe('downloadOverrides', () => {
  it('serves configured images inline with the type forced from the extension', () => {
    expect(downloadOverrides('cat.PNG', inline)).toEqual({
      'response-content-disposition': 'inline',
      'response-content-type': 'image/png',
    })
  })

  it.each(['page.html', 'vector.svg', 'doc.pdf', 'noext', 'anim.gif'])('makes %s an attachment', (name) => {
    const o = downloadOverrides(name, inline)
    expect(o['response-content-disposition']).toMatch(/^attachment; /)
    expect(o['response-content-type']).toBeUndefined()
  })

  it('writes an RFC 6266 ASCII fallback and an RFC 8187 UTF-8 filename', () => {
    expect(contentDisposition('attachment', 'Résumé "final" 100%.pdf')).toBe(
      `attachment; filename="R_sum_ _final_ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20100%25.pdf`,
    )
  })

  it('leaves out the UTF-8 form only when the quoted name is the name itself', () => {
    expect(contentDisposition('inline', "holiday photo (1) [x]'s, a+b=c~!.jpg")).toBe(
      `inline; filename="holiday photo (1) [x]'s, a+b=c~!.jpg"`,
    )
    // A quote, backslash or percent sign (which some browsers decode) or anything past ASCII needs it.
    for (const name of ['a"b.txt', 'a\\b.txt', '100%.txt', 'café.txt', 'tab\there.txt']) {
      expect(contentDisposition('attachment', name), name).toMatch(/; filename\*=UTF-8''/)
    }
  })
})
