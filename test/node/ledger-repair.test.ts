// `npm run doctor -- --ledger USER` (scripts/ledger-repair.ts) against a stand-in Worker: it sends the
// admin token to the rebuild route for that user, prints the drift, and exits 1 only when there was some.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { repairLedger } from '../../scripts/ledger-repair'

const TOKEN = 'test-only-admin-token-0123456789abcdef'
const seen: { url?: string; headers: IncomingHttpHeaders }[] = []
let drift = { added: ['a/new.txt'], removed: [] as string[], resized: [] as string[] }
const server = createServer((req, res) => {
  seen.push({ url: req.url, headers: req.headers })
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify({ user: 'al ice', before: { bytes: 1, files: 1 }, after: { bytes: 8, files: 2 }, ...drift }))
})
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

it('calls the rebuild route with the admin token and reports drift with exit status 1', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  expect(await repairLedger({ ADMIN_TOKEN: TOKEN }, 'al ice', url)).toBe(1)
  expect(seen.at(-1)).toMatchObject({
    url: '/api/admin/ledgers/al%20ice/rebuild',
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  const printed = log.mock.calls.map(([line]) => String(line))
  expect(printed).toContain('  counted (in S3, missing from the ledger): a/new.txt')
  expect(printed.at(-1)).toBe('✘ ledger of al ice: 1 file(s) drifted; was 1 bytes in 1 files, now 8 bytes in 2 files')

  drift = { added: [], removed: [], resized: [] }
  expect(await repairLedger({ ADMIN_TOKEN: TOKEN, APP_ORIGIN: url }, 'al ice')).toBe(0)
  log.mockRestore()
})

it('needs a URL and ADMIN_TOKEN', async () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  expect(await repairLedger({}, 'alice', url)).toBe(2)
  expect(error.mock.calls[0][0]).toContain('ADMIN_TOKEN')
  error.mockRestore()
})
