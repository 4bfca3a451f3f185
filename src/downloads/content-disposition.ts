// How a download presents itself: only configured raster image types may render inline (forced to
// that type by extension); everything else is an attachment, so an uploaded HTML or SVG file can
// never run as a page. An attachment's filename follows RFC 6266: a quoted ASCII name, and an
// RFC 8187 UTF-8 form only for a name the quoted one cannot carry.
const IMAGE_TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
}

const NOT_ATTR_CHAR = /['()*]/
const NOT_ATTR_CHARS = /['()*]/g
const escapeChar = (c: string) => '%' + c.charCodeAt(0).toString(16).toUpperCase()
const NOT_PLAIN_ASCII = /[^\x20-\x7e]|["\\%]/
const NOT_PLAIN_ASCII_ALL = /[^\x20-\x7e]|["\\%]/g

/** RFC 8187 ext-value: attr-char stays, every other UTF-8 byte is %XX. */
function encodeExtValue(name: string): string {
  const encoded = encodeURIComponent(name)
  // Most names have none of these: a test, rather than a replace with a callback per list entry.
  return NOT_ATTR_CHAR.test(encoded) ? encoded.replace(NOT_ATTR_CHARS, escapeChar) : encoded
}

/** A quoted-string fallback for old clients: printable ASCII only, no quote or backslash. */
function asciiFallback(name: string): string {
  return NOT_PLAIN_ASCII.test(name) ? name.replace(NOT_PLAIN_ASCII_ALL, '_') : name
}

export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = asciiFallback(name)
  // A plain ASCII name is exactly its quoted form (RFC 6266 §4.3 keeps filename* for the rest, as
  // jshttp/content-disposition does): a shorter header, and a list URL ~60 bytes shorter to sign.
  if (fallback === name) return `${kind}; filename="${name}"`
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`
}

/** The file extensions whose downloads render inline under `inlineTypes` (the page's thumbnails). */
export function inlineExtensions(inlineTypes: readonly string[]): string[] {
  return Object.keys(IMAGE_TYPES_BY_EXTENSION).filter((ext) => inlineTypes.includes(IMAGE_TYPES_BY_EXTENSION[ext]))
}

/** The response-* overrides to sign into a download URL for a file called `name`. */
export function downloadOverrides(name: string, inlineTypes: readonly string[]): Record<string, string> {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase()
  const imageType = name.includes('.') ? IMAGE_TYPES_BY_EXTENSION[ext] : undefined
  if (imageType && inlineTypes.includes(imageType)) {
    // A bare `inline` still overrides any disposition stored with the object; the browser names
    // the image after the URL's last segment, which is this same name. The same two values for
    // every image on a page, so a list signs and sends ~70 bytes less per image (README, Benchmarks).
    return { 'response-content-disposition': 'inline', 'response-content-type': imageType }
  }
  return { 'response-content-disposition': contentDisposition('attachment', name) }
}
