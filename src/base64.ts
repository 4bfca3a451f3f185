// UTF-8 text ⇄ base64, for the POST policy document and the list cursor (btoa takes only Latin-1).
export function base64FromUtf8(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return btoa(binary)
}

/** Throws on bad base64 or bytes that are not UTF-8. */
export function utf8FromBase64(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
}
