// Small real files for the browser tests, made in memory: a PNG the browser can decode, a PDF,
// and text. Each call gives different bytes, so a download can only match its own upload.
import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'

export type FixtureFile = { name: string; mimeType: string; buffer: Buffer }

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A `width`×`height` RGB PNG (PNG spec: signature, IHDR, IDAT of filtered rows, IEND) with random colours. */
export function png(name: string, width = 48, height = 32): FixtureFile {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit depth, truecolour, deflate, no filter, no interlace
  const [r, g, b] = randomBytes(3)
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3) // leading 0: filter type None
    for (let x = 0; x < width; x++) row.set([(r + x * 4) & 255, (g + y * 6) & 255, b], 1 + x * 3)
    rows.push(row)
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const buffer = Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return { name, mimeType: 'image/png', buffer }
}

/** A one-page PDF with a random comment line (readers do not care about the xref offsets being exact). */
export function pdf(name: string): FixtureFile {
  const text = [
    '%PDF-1.4',
    `% ${randomBytes(8).toString('hex')}`,
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n')
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(text) }
}

export function text(name: string, body = `hello from bucketgate ${randomBytes(8).toString('hex')}\n`): FixtureFile {
  return { name, mimeType: 'text/plain', buffer: Buffer.from(body) }
}

/** `size` random bytes declared as a PNG (the type is allowed; only the size matters). */
export function bigFile(name: string, size: number): FixtureFile {
  return { name, mimeType: 'image/png', buffer: randomBytes(size) }
}
