// The presigner's hashing behind one small interface: for canonical requests that share a signing
// key and a string-to-sign start, each request's SigV4 signature hex(HMAC(key, start +
// hex(SHA-256(request)))). Two implementations give the same bytes: WebAssembly SIMD, four requests
// at a time without awaiting (sha256.ts), and WebCrypto, two crypto.subtle calls a request, for
// runtimes without WebAssembly SIMD. docs/architecture.md has what the fast one buys per list page.
import { hashLanes, laneDigestHex, LANES, prefixedHexHmac, setLaneText, SIMD_AVAILABLE } from './sha256'
import { toHex } from './sigv4'

export type SignatureHasher = {
  readonly name: string
  /** Signs canonical requests under `key` (the derived signing key) after the string-to-sign start `prefix`. */
  signer(key: Uint8Array, prefix: string): (canonicalRequests: readonly string[]) => Promise<string[]>
}

const encoder = new TextEncoder()

export const wasmHasher: SignatureHasher = {
  name: 'wasm-simd',
  signer(key, prefix) {
    const mac = prefixedHexHmac(key, encoder.encode(prefix))
    // Nothing in here awaits, so another caller cannot use the lanes between setLaneText and laneDigestHex.
    return async (requests) => {
      const signatures: string[] = new Array(requests.length)
      for (let i = 0; i < requests.length; i += LANES) {
        const n = Math.min(LANES, requests.length - i)
        for (let k = 0; k < n; k++) setLaneText(k, requests[i + k])
        hashLanes(n)
        mac(n)
        for (let k = 0; k < n; k++) signatures[i + k] = laneDigestHex(k)
      }
      return signatures
    }
  },
}

export const webCryptoHasher: SignatureHasher = {
  name: 'webcrypto',
  signer(key, prefix) {
    const hmacKey = crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    return async (requests) => {
      const imported = await hmacKey
      return Promise.all(
        requests.map(async (request) => {
          const hash = toHex(await crypto.subtle.digest('SHA-256', encoder.encode(request)))
          return toHex(await crypto.subtle.sign('HMAC', imported, encoder.encode(prefix + hash)))
        }),
      )
    }
  },
}

/** The fast hasher where WebAssembly SIMD runs (workerd, Node), WebCrypto elsewhere. */
export const defaultHasher = SIMD_AVAILABLE ? wasmHasher : webCryptoHasher
