// Standard Webhooks signing (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256>` over
// `<id>.<timestamp>.<body>`. The secret is `whsec_<base64 key>` as the spec's libraries expect; any
// other string is used as raw UTF-8 key bytes (a receiver then verifies with the library's raw format).
const encoder = new TextEncoder()

export function webhookKey(secret: string): Uint8Array {
  if (!secret.startsWith('whsec_')) return encoder.encode(secret)
  return Uint8Array.from(atob(secret.slice('whsec_'.length)), (ch) => ch.charCodeAt(0))
}

export type SignedHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** The three headers for one delivery attempt; `timestampSeconds` is the attempt's time, in Unix seconds. */
export async function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<SignedHeaders> {
  const key = await crypto.subtle.importKey('raw', webhookKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, encoder.encode([id, String(timestampSeconds), body].join('.'))),
  )
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${btoa(binary)}`,
  }
}
