// Vitest global setup (runs in Node, outside workerd): starts the local servers the tests talk to
// and hands their addresses to the Worker under test as bindings.
// - Ceph RGW (scripts/rgw.sh), the S3 server that really checks signatures and POST policies;
//   when absent, the S3 suites are skipped loudly and CI fails (CI must never skip them).
// - A JWKS issuer on 127.0.0.1 with a fresh RSA key, for the Cloudflare Access / JWKS path.
// - A "black hole" TCP server that accepts and never answers, for the S3 timeout path.
// - A Standard Webhooks receiver (webhook-receiver.ts) for the ledger's upload events.
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { exportJWK, generateKeyPair } from 'jose'
import { rgwAvailable, startRgw } from '../../scripts/lib/rgw.mjs'
import { S3Bucket } from '../../scripts/lib/s3-admin.mjs'
import { TEST_S3, TEST_WEBHOOK } from './test-values'
import { createWebhookReceiver } from './webhook-receiver'

declare module 'vitest' {
  export interface ProvidedContext {
    rgwEndpoint: string
    rgwSkipReason: string
    jwksUrl: string
    jwksPrivateKey: string
    blackholeUrl: string
    webhookReceiverUrl: string
  }
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = []

  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' }
  const jwks = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  const jwksPort = await listen(jwks)
  stops.push(
    () =>
      new Promise((r) => {
        jwks.closeAllConnections()
        jwks.close(() => r())
      }),
  )
  project.provide('jwksUrl', `http://127.0.0.1:${jwksPort}/certs`)
  project.provide(
    'jwksPrivateKey',
    JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256' }),
  )

  const sockets = new Set<Socket>()
  const blackhole = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const blackholePort = await listen(blackhole)
  stops.push(
    () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy()
        blackhole.close(() => r())
      }),
  )
  project.provide('blackholeUrl', `http://127.0.0.1:${blackholePort}`)

  const receiver = createWebhookReceiver(TEST_WEBHOOK.secret)
  const receiverPort = await listen(receiver)
  stops.push(
    () =>
      new Promise((r) => {
        receiver.closeAllConnections()
        receiver.close(() => r())
      }),
  )
  project.provide('webhookReceiverUrl', `http://127.0.0.1:${receiverPort}`)

  let rgwEndpoint = process.env.BUCKETGATE_RGW_ENDPOINT ?? ''
  let rgwSkipReason = ''
  if (!rgwEndpoint) {
    const available = rgwAvailable()
    if (available.ok) {
      const rgw = await startRgw({ ...TEST_S3.credentials })
      stops.push(rgw.stop)
      rgwEndpoint = rgw.endpoint
    } else {
      rgwSkipReason = available.reason
      const banner = '!'.repeat(78)
      console.warn(
        `\n${banner}\nCeph RGW is not installed: the S3 suites are SKIPPED.\n${available.reason}\n${banner}\n`,
      )
      if (process.env.CI) throw new Error(`CI must run the Ceph RGW suites: ${available.reason}`)
    }
  }
  if (rgwEndpoint) {
    const { bucket: name, credentials, region } = TEST_S3
    const bucket = new S3Bucket({ endpoint: rgwEndpoint, bucket: name, credentials, region })
    await bucket.create(TEST_S3.corsOrigins)
  }
  project.provide('rgwEndpoint', rgwEndpoint)
  project.provide('rgwSkipReason', rgwSkipReason)

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('teardown:', err))
  }
}
