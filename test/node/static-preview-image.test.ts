// The preview's size and which files get one (static/js/preview-image.js); making one needs a
// browser's decoder and encoder, so the browser suite covers that part.
import { describe, expect, it } from 'vitest'
import { mayPreview, previewSize, PREVIEW_LONGEST_PX } from '../../static/js/preview-image.js'

describe('previewSize', () => {
  it('scales the longest side down to the preview size, keeping the aspect ratio', () => {
    expect(previewSize(4032, 3024)).toEqual({ width: PREVIEW_LONGEST_PX, height: 360 })
    expect(previewSize(3024, 4032)).toEqual({ width: 360, height: PREVIEW_LONGEST_PX })
    expect(previewSize(10_000, 10)).toEqual({ width: PREVIEW_LONGEST_PX, height: 1 })
  })

  it('never enlarges a small image', () => {
    expect(previewSize(48, 32)).toEqual({ width: 48, height: 32 })
    expect(previewSize(0, 0)).toEqual({ width: 1, height: 1 })
  })
})

describe('mayPreview', () => {
  it('tries raster images a browser may decode, not documents or SVG', () => {
    for (const type of ['image/png', 'image/JPEG', 'image/webp', 'image/avif', 'image/gif', 'image/heic']) {
      expect(mayPreview({ type }), type).toBe(true)
    }
    for (const type of ['image/svg+xml', 'application/pdf', 'text/plain', '']) {
      expect(mayPreview({ type }), type).toBe(false)
    }
  })
})
