// SHA-256 and HMAC-SHA-256, four messages at a time and synchronous, for the presigner's per-URL
// hashing (reached through hash.ts, which also holds the WebCrypto implementation). The work runs in WebAssembly SIMD (wasm/sha256x4.ts), one lane per message; this file
// places the messages in the module's memory and reads the digests back. Why not WebCrypto: each
// crypto.subtle call costs ~3 µs in workerd whatever its size (a promise and a copy), and a URL
// needs two. Why not one message at a time in JS (the previous version, ~0.33 µs a block): four
// lanes cost ~0.1 µs a block each, measured in workerd (a canonical request of 8 blocks: 0.85
// against 3.0 µs). Why not @noble/hashes: ~70 MB/s in workerd. Nothing here awaits, so no two
// callers' lanes interleave. Checked against WebCrypto over random inputs and lane mixes
// (test/unit/signing/sha256.test.ts) and, through the presigner, against aws4fetch
// (presign-identity.test.ts). FIPS 180-4, RFC 2104.
import compressModule from './wasm/sha256x4.wasm'

/** Messages hashed side by side. */
export const LANES = 4
const BLOCK = 64
/** 0x80, then the 64-bit length: the least a message's padding adds. */
const MIN_PADDING = 9
const PAGE = 65_536

type Sha256x4 = {
  memory: WebAssembly.Memory
  statesOffset(): number
  hexOffset(): number
  initialOffset(): number
  macInnerOffset(): number
  macOuterOffset(): number
  macLeftoverOffset(): number
  freeOffset(): number
  compress(data: number, stride: number, count0: number, count1: number, count2: number, count3: number): void
  hash(data: number, stride: number, length0: number, length1: number, length2: number, length3: number): void
  mac(data: number, stride: number, n: number, leftover: number, innerDone: number): void
}

/** The module's exports, or undefined where the runtime cannot run WebAssembly SIMD. */
function instantiate(): Sha256x4 | undefined {
  try {
    return new WebAssembly.Instance(compressModule, {}).exports as unknown as Sha256x4
  } catch {
    return undefined
  }
}
const instance = instantiate()
/** Whether the lanes work here; hash.ts uses WebCrypto when they do not, and nothing below is called. */
export const SIMD_AVAILABLE = instance !== undefined
const wasm = instance as Sha256x4
/** SHA-256's initial hash value (FIPS 180-4 §5.3.3), as the module holds it. */
const INITIAL = SIMD_AVAILABLE ? new Int32Array(wasm.memory.buffer, wasm.initialOffset(), 8).slice() : new Int32Array(8)
/** Lane k's data starts at lanesOffset + k * stride. */
const lanesOffset = SIMD_AVAILABLE ? wasm.freeOffset() : 0
let stride = 0
/** Views of the module's memory; growing it detaches them, so layout() makes them anew. */
let bytes = new Uint8Array(0)
/** Word j of lane k's state at [LANES * j + k]. */
let states = new Int32Array(0)
let macInner = new Int32Array(0)
let macOuter = new Int32Array(0)

/**
 * Lanes of at least `laneBytes` each, growing the module's memory when they do not fit. Lanes
 * already written keep their messages: a group of four may grow it at its last lane.
 */
function layout(laneBytes: number): void {
  const wanted = Math.ceil(laneBytes / BLOCK) * BLOCK
  const pages = Math.ceil((lanesOffset + LANES * wanted) / PAGE) - wasm.memory.buffer.byteLength / PAGE
  if (pages > 0) wasm.memory.grow(pages)
  const buffer = wasm.memory.buffer
  const previous = stride
  stride = Math.floor((buffer.byteLength - lanesOffset) / LANES / BLOCK) * BLOCK
  // The last lane first, so no lane is overwritten before it has moved.
  const memory = new Uint8Array(buffer)
  for (let k = LANES - 1; k > 0 && previous > 0; k--) {
    memory.copyWithin(lanesOffset + k * stride, lanesOffset + k * previous, lanesOffset + (k + 1) * previous)
  }
  bytes = memory
  states = new Int32Array(buffer, wasm.statesOffset(), 8 * LANES)
  macInner = new Int32Array(buffer, wasm.macInnerOffset(), 8)
  macOuter = new Int32Array(buffer, wasm.macOuterOffset(), 8)
}
if (SIMD_AVAILABLE) layout(0)

/** Lane k's space for a message of up to `length` bytes, with room for its padding after it. */
function laneSpace(k: number, length: number): Uint8Array {
  if (length + MIN_PADDING + BLOCK > stride) layout(2 * (length + MIN_PADDING + BLOCK))
  return bytes.subarray(lanesOffset + k * stride, lanesOffset + (k + 1) * stride)
}

/** Each lane's message length; -1 for none. */
const lengths = [-1, -1, -1, -1]
/** The digests' hex as one string (all four lanes), read from the module once per hash. */
let hexes: string | undefined
const decoder = new TextDecoder()

const encoder = new TextEncoder()

/** Lane k's message: `text` as UTF-8. Hash with hashLanes. */
export function setLaneText(k: number, text: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  lengths[k] = encoder.encodeInto(text, laneSpace(k, text.length * 3)).written
}

/** Lane k's message: `message`. Hash with hashLanes. */
export function setLaneBytes(k: number, message: Uint8Array): void {
  laneSpace(k, message.length).set(message)
  lengths[k] = message.length
}

/** SHA-256 of the messages set in lanes 0..n-1, left as those lanes' digests. */
export function hashLanes(n: number): void {
  for (let k = n; k < LANES; k++) lengths[k] = -1
  wasm.hash(lanesOffset, stride, lengths[0], lengths[1], lengths[2], lengths[3])
  hexes = undefined
}

/** Lane k's digest: 32 bytes, big-endian words, into `out` at `at`. */
export function laneDigest(k: number, out = new Uint8Array(32), at = 0): Uint8Array {
  for (let j = 0; j < 8; j++) {
    const word = states[LANES * j + k]
    out[at + 4 * j] = word >>> 24
    out[at + 4 * j + 1] = word >>> 16
    out[at + 4 * j + 2] = word >>> 8
    out[at + 4 * j + 3] = word
  }
  return out
}

/** Lane k's digest as lowercase hex. */
export function laneDigestHex(k: number): string {
  hexes ??= decoder.decode(bytes.subarray(wasm.hexOffset(), wasm.hexOffset() + 64 * LANES))
  return hexes.slice(64 * k, 64 * k + 64)
}

/** SHA-256 of one message. */
export function sha256(message: Uint8Array): Uint8Array {
  setLaneBytes(0, message)
  hashLanes(1)
  return laneDigest(0)
}

/** `state` (eight words, a copy) after taking `data`'s whole blocks. */
function absorb(state: Int32Array, data: Uint8Array): Int32Array {
  const blocks = Math.floor(data.length / BLOCK)
  laneSpace(0, data.length).set(data.subarray(0, blocks * BLOCK))
  for (let j = 0; j < 8; j++) states.fill(state[j], LANES * j, LANES * j + LANES)
  wasm.compress(lanesOffset, stride, blocks, 0, 0, 0)
  const out = new Int32Array(8)
  for (let j = 0; j < 8; j++) out[j] = states[LANES * j]
  return out
}

/** `key` (hashed first if longer than a block) XOR `pad`, as one block, then `rest`. */
function keyBlock(key: Uint8Array, pad: number, rest: Uint8Array = new Uint8Array(0)): Uint8Array {
  const block = new Uint8Array(BLOCK + rest.length)
  block.set(key.length > BLOCK ? sha256(key) : key)
  for (let i = 0; i < BLOCK; i++) block[i] ^= pad
  block.set(rest, BLOCK)
  return block
}

/**
 * HMAC-SHA-256 under `key` of messages that are `prefix` followed by the hex of a lane's digest, as
 * SigV4's string to sign is a fixed start and the canonical request's hash. The key's pads and the
 * prefix's whole blocks are hashed once here; each call then MACs lanes 0..n-1 (right after
 * hashLanes), leaving the MACs as their digests.
 */
export function prefixedHexHmac(key: Uint8Array, prefix: Uint8Array): (n: number) => void {
  const whole = prefix.length - (prefix.length % BLOCK)
  const outer = absorb(INITIAL, keyBlock(key, 0x5c))
  const inner = absorb(INITIAL, keyBlock(key, 0x36, prefix.subarray(0, whole)))
  const innerDone = BLOCK + whole
  const leftover = prefix.slice(whole)
  return (n) => {
    // Another presigner (another key) may have used the module since: set this one's inputs.
    macInner.set(inner)
    macOuter.set(outer)
    bytes.set(leftover, wasm.macLeftoverOffset())
    wasm.mac(lanesOffset, stride, n, leftover.length, innerDone)
    hexes = undefined
  }
}
