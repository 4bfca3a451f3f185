// The page's use of the server's rules (static/js/limits.js): the limits come from /api/me, so these
// check only how the page applies them, with limits written the way the server answers.
import { describe, expect, it } from 'vitest'
import {
  acceptAttribute,
  describeLimits,
  limitProblem,
  showsInline,
  typeAllowed,
  uploadType,
  usesMultipart,
} from '../../static/js/limits.js'

const MiB = 1024 * 1024
const limits = {
  maxBytes: MiB,
  allowedTypes: ['image/*', 'application/pdf'],
  multipartThreshold: 100 * MiB,
  partBytes: 8 * MiB,
  inlineExtensions: ['png', 'jpg', 'jpeg', 'bmp', 'ico'],
}

describe('typeAllowed and uploadType', () => {
  it('matches exactly, by major type, or by the any-type wildcard', () => {
    expect(typeAllowed('image/png', ['image/*'])).toBe(true)
    expect(typeAllowed('application/pdf', ['application/pdf'])).toBe(true)
    expect(typeAllowed('application/zip', ['application/pdf', 'image/*'])).toBe(false)
    expect(typeAllowed('imagefoo/png', ['image/*'])).toBe(false)
    expect(typeAllowed('anything/at-all', ['*/*'])).toBe(true)
  })

  it('declares application/octet-stream when the browser could not tell, lower case otherwise', () => {
    expect(uploadType({ type: '' })).toBe('application/octet-stream')
    expect(uploadType({ type: 'Image/PNG' })).toBe('image/png')
  })
})

describe('limitProblem', () => {
  it('accepts a file within the limits', () => {
    expect(limitProblem({ size: MiB, type: 'image/png' }, limits)).toBeNull()
  })

  it('says too large in rounded sizes, or in bytes when rounding would hide the difference', () => {
    expect(limitProblem({ size: 1.5 * MiB, type: 'image/png' }, limits)).toBe('Too large: 1.5 MB; the limit is 1 MB')
    expect(limitProblem({ size: MiB + 1, type: 'image/png' }, limits)).toBe(
      `Too large: ${MiB + 1} bytes; the limit is ${MiB} bytes`,
    )
  })

  it('names a type that is not accepted', () => {
    expect(limitProblem({ size: 10, type: 'application/zip' }, limits)).toBe(
      'Type not allowed: files of type application/zip are not accepted',
    )
  })
})

describe('what the picker and the hint show', () => {
  it('lists the accepted types, or none when anything goes', () => {
    expect(acceptAttribute(limits)).toBe('image/*,application/pdf')
    expect(acceptAttribute({ ...limits, allowedTypes: ['*/*'] })).toBe('')
    expect(describeLimits(limits)).toBe('Up to 1 MB each. Accepted: image/*, application/pdf.')
  })
})

describe('usesMultipart', () => {
  it('sends files from the threshold on in parts, smaller ones in one request', () => {
    expect(usesMultipart({ size: 100 * MiB }, limits)).toBe(true)
    expect(usesMultipart({ size: 100 * MiB - 1 }, limits)).toBe(false)
  })

  it('sends everything in one request when the server names no threshold', () => {
    const { multipartThreshold: _, ...older } = limits
    expect(usesMultipart({ size: 10 * 1024 * MiB }, older)).toBe(false)
  })
})

describe('showsInline', () => {
  it("follows the server's list of inline extensions, case-insensitively (bmp and ico included)", () => {
    expect(showsInline('photo.PNG', limits)).toBe(true)
    expect(showsInline('icon.ico', limits)).toBe(true)
    expect(showsInline('scan.bmp', limits)).toBe(true)
    expect(showsInline('drawing.svg', limits)).toBe(false)
    expect(showsInline('anim.gif', limits)).toBe(false) // not in this server's list
    expect(showsInline('png', limits)).toBe(false) // no extension at all
  })

  it('shows nothing inline when the server names no list', () => {
    const { inlineExtensions: _, ...older } = limits
    expect(showsInline('photo.png', older)).toBe(false)
  })
})
