// S3 request bodies (CompleteMultipartUpload, the doctor's CORS and lifecycle rules) written as XML
// text. Element names are constants in the code; every value is escaped, so a value that came from
// a client or a setting (an ETag, an origin) can never close its element or add another.
// https://www.w3.org/TR/xml/#syntax

const ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR is read back as LF (XML 1.0 §2.11); a reference survives.
  '\r': '&#13;',
}

/** XML text for `value`: the five characters XML gives meaning to (and CR) as references. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) => ESCAPED[c] as string)
}

/** A body value: text (escaped), an element per array item, or a child element per object entry. */
export type XmlBody = string | number | readonly XmlBody[] | { readonly [element: string]: XmlBody }

/** `<name>…</name>` for `value`; an array repeats the element (S3's lists: `Part`, `AllowedMethod`, …). */
export function xmlElement(name: string, value: XmlBody): string {
  if (Array.isArray(value)) return value.map((item: XmlBody) => xmlElement(name, item)).join('')
  const inner =
    typeof value === 'object'
      ? Object.entries(value)
          .map(([child, v]) => xmlElement(child, v))
          .join('')
      : escapeXml(String(value))
  return `<${name}>${inner}</${name}>`
}

/** A whole request body: the declaration and one root element. */
export function xmlDocument(root: string, value: XmlBody): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' + xmlElement(root, value)
}
