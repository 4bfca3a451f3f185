// Free TCP ports on 127.0.0.1 for the local servers (wrangler dev, its inspector, RGW, s3rver), and a
// check that a chosen port is still free, so a clash is reported in one sentence instead of a stack trace.
import { createServer } from 'node:net'

/**
 * Ports the OS hands out now; all are held open together, so they differ from each other.
 * @param {number} count
 * @returns {Promise<number[]>}
 */
export async function freePorts(count) {
  /** @type {import('node:net').Server[]} */
  const servers = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', () => resolve(undefined))
      })
    }
    return servers.map((s) => /** @type {import('node:net').AddressInfo} */ (s.address()).port)
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
}

/**
 * True when nothing listens on 127.0.0.1:`port` (checked by binding it for a moment).
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
