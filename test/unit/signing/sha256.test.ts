// The presigner's own SHA-256 (four lanes in WebAssembly) and prefixed HMAC agree with published
// vectors and with WebCrypto (workerd's BoringSSL) over seeded random inputs: every length around
// the block boundaries, lanes of different lengths hashed together, memory grown for long messages.
import { describe, expect, it } from 'vitest'
import {
  hashLanes,
  laneDigest,
  laneDigestHex,
  LANES,
  prefixedHexHmac,
  setLaneBytes,
  setLaneText,
  sha256,
} from '../../../src/signing/sha256'
import { toHex } from '../../../src/signing/sigv4'
import { prng } from '../../prng'

const utf8 = (s: string) => new TextEncoder().encode(s)

function randomBytes(random: ReturnType<typeof prng>, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(256))
}

const webCryptoSha256 = async (bytes: Uint8Array) => toHex(await crypto.subtle.digest('SHA-256', bytes))

async function webCryptoHmac(key: Uint8Array, message: Uint8Array): Promise<string> {
  // WebCrypto refuses an empty HMAC key; RFC 2104 pads it like any other, as does sha256.ts.
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return toHex(await crypto.subtle.sign('HMAC', imported, message))
}

describe('sha256', () => {
  it('reproduces the FIPS 180-4 examples', () => {
    expect(toHex(sha256(utf8('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('matches WebCrypto for every length up to 300 bytes and random lengths to 70,000', async () => {
    const random = prng(0x5a256)
    const lengths = [
      ...Array.from({ length: 301 }, (_, i) => i),
      // Past the lanes' first size, so the module's memory grows (and its views are made anew).
      ...Array.from({ length: 30 }, () => random.int(70_000)),
    ]
    for (const length of lengths) {
      const bytes = randomBytes(random, length)
      expect(toHex(sha256(bytes)), `length ${length}`).toBe(await webCryptoSha256(bytes))
    }
  })

  it('hashes up to four messages of different lengths together, each as if alone', async () => {
    const random = prng(0x4a4e5)
    for (let round = 0; round < 200; round++) {
      const n = 1 + random.int(LANES)
      // Lengths on both sides of the block boundaries, so lanes end after different block counts.
      const messages = Array.from({ length: n }, () =>
        randomBytes(random, random.pick([0, 1, 55, 56, 63, 64, 119, 120, 300, 480, 555, random.int(3000)])),
      )
      messages.forEach((m, k) => setLaneBytes(k, m))
      hashLanes(n)
      for (let k = 0; k < n; k++) {
        expect(laneDigestHex(k), `round ${round}, lane ${k} of ${n}`).toBe(await webCryptoSha256(messages[k]))
        expect(toHex(laneDigest(k))).toBe(laneDigestHex(k))
      }
    }
  })

  it('keeps the lanes already set when a later lane grows the memory', async () => {
    const random = prng(0x67e0)
    // Longer than any message before in this file, so each of these grows the module's memory.
    for (const long of [200_000, 500_000]) {
      const messages = [randomBytes(random, 100), randomBytes(random, 5000), randomBytes(random, long)]
      messages.forEach((m, k) => setLaneBytes(k, m))
      hashLanes(messages.length)
      for (const [k, m] of messages.entries()) expect(laneDigestHex(k), `lane ${k}`).toBe(await webCryptoSha256(m))
    }
  })

  it('hashes text as UTF-8', async () => {
    const texts = ['GET\n/photos/ünïcödé 😀.jpg', '', 'x'.repeat(64), '\u00e9'.repeat(1000)]
    texts.forEach((t, k) => setLaneText(k, t))
    hashLanes(texts.length)
    for (const [k, t] of texts.entries()) expect(laneDigestHex(k)).toBe(await webCryptoSha256(utf8(t)))
  })
})

describe('prefixedHexHmac', () => {
  it('matches WebCrypto for random keys and prefixes, each lane MACing the hex of its own digest', async () => {
    const random = prng(0x4231)
    for (let round = 0; round < 60; round++) {
      // Keys longer than a block are hashed first (RFC 2104). (WebCrypto refuses an empty key.)
      const key = randomBytes(random, random.pick([1, 32, 64, 65, 131, 1 + random.int(140)]))
      const prefix = randomBytes(random, random.pick([0, 1, 55, 63, 64, 65, 69, 75, 127, 128, 129, random.int(400)]))
      const mac = prefixedHexHmac(key, prefix)
      for (let i = 0; i < 4; i++) {
        const n = 1 + random.int(LANES)
        const messages = Array.from({ length: n }, () => randomBytes(random, random.int(700)))
        messages.forEach((m, k) => setLaneBytes(k, m))
        hashLanes(n)
        mac(n)
        for (let k = 0; k < n; k++) {
          const message = new Uint8Array([...prefix, ...utf8(await webCryptoSha256(messages[k]))])
          expect(laneDigestHex(k), `round ${round}, call ${i}, lane ${k}`).toBe(await webCryptoHmac(key, message))
        }
      }
    }
  })
})
