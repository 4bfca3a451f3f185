// Makes a file's preview in the browser: an image the browser can decode, scaled so its longest
// side is at most PREVIEW_LONGEST_PX (never enlarged), encoded as WebP. The grid shows previews
// instead of originals, so a page of phone photos costs kilobytes, not hundreds of megabytes.

/** The preview's longest side, in CSS pixels: twice a card's thumbnail on a wide screen (sharp on HiDPI). */
export const PREVIEW_LONGEST_PX = 480
/** WebP qualities tried in turn until the preview fits the server's limit. */
const QUALITIES = [0.8, 0.6, 0.4]
/** Types worth trying to decode; HEIC/HEIF only where the browser decodes it (createImageBitmap fails elsewhere). */
const DECODABLE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
])

/**
 * The preview's size for an image of `width` × `height`: the longest side at most `longest`, the
 * aspect ratio kept, at least 1 × 1.
 * @param {number} width
 * @param {number} height
 */
export function previewSize(width, height, longest = PREVIEW_LONGEST_PX) {
  const scale = Math.min(1, longest / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/**
 * Whether the page tries to make a preview of `file` (by its declared type).
 * @param {{type: string}} file
 */
export function mayPreview(file) {
  return DECODABLE.has(file.type.toLowerCase())
}

/**
 * A WebP preview of `file` of at most `maxBytes`, or null when the browser cannot decode the file,
 * cannot encode WebP, or cannot get it small enough. Never throws: a preview is a nicety.
 * @param {Blob & {type: string}} file
 * @param {number} maxBytes
 * @returns {Promise<Blob | null>}
 */
export async function makePreview(file, maxBytes) {
  if (!mayPreview(file) || typeof OffscreenCanvas === 'undefined') return null
  try {
    // Decoded once at full size only to learn its dimensions (EXIF orientation applied), then
    // again straight at the preview's size, which browsers do without a full-size copy in memory.
    const probe = await createImageBitmap(file)
    const size = previewSize(probe.width, probe.height)
    probe.close()
    const bitmap = await createImageBitmap(file, {
      resizeWidth: size.width,
      resizeHeight: size.height,
      resizeQuality: 'high',
    })
    const canvas = new OffscreenCanvas(size.width, size.height)
    const context = canvas.getContext('2d')
    if (!context) return null
    context.drawImage(bitmap, 0, 0)
    bitmap.close()
    for (const quality of QUALITIES) {
      const blob = await canvas.convertToBlob({ type: 'image/webp', quality })
      // A browser without a WebP encoder answers PNG instead; the server only signs WebP.
      if (blob.type !== 'image/webp') return null
      if (blob.size <= maxBytes) return blob
    }
    return null
  } catch {
    return null // not decodable after all (a mislabelled or truncated file)
  }
}
