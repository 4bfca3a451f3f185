// Helpers for the ledger suites: the app with a few settings changed, tickets and confirmations as a
// user, and a look inside a user's Durable Object.
import { runInDurableObject } from 'cloudflare:test'
import { api, config, postToBucket, testEnv, type Ticket } from '../../helpers'
import { userRoot } from '../../../src/keys'
import type { UserLedger } from '../../../src/ledger/user-ledger'

/** The test bindings with some settings replaced (the Worker reads them per env object). */
export function withSettings(settings: Record<string, string>): typeof testEnv {
  return { ...testEnv, ...settings }
}

export function requestTicket(env: object, user: string, size: number, type = 'text/plain', name = 'notes.txt') {
  return api('/api/uploads', { method: 'POST', user, json: { name, type, size } }, env)
}

export async function ticketOf(res: Response): Promise<Ticket> {
  if (res.status !== 200) throw new Error(`ticket refused: ${res.status} ${await res.text()}`)
  return res.json()
}

export async function uploadThrough(ticket: Ticket, bytes: Uint8Array): Promise<void> {
  const res = await postToBucket(ticket.upload, bytes)
  if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`)
}

export function confirm(env: object, user: string, key: string) {
  return api('/api/uploads/complete', { method: 'POST', user, json: { key } }, env)
}

export type Usage = { bytes: number; files: number; quotaBytes: number | null; quotaFiles: number | null }

export async function usageOf(env: object, user: string): Promise<Usage> {
  const res = await api('/api/me', { user }, env)
  if (res.status !== 200) throw new Error(`/api/me: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { usage: Usage }).usage
}

export function ledgerStub(user: string) {
  return testEnv.LEDGER!.getByName(userRoot(config.userPrefix, user))
}

/** Rows of the user's tables, read inside their Durable Object. */
export function ledgerRows(user: string) {
  return runInDurableObject(ledgerStub(user), (_: UserLedger, state) => ({
    files: state.storage.sql
      .exec<{ key: string; size: number; type: string }>('SELECT key, size, type FROM files')
      .toArray(),
    // held: 1 while it counts against the quota, 0 once recorded (kept until settled).
    reservations: state.storage.sql
      .exec<{ key: string; size: number; held: number }>('SELECT key, size, held FROM reservations')
      .toArray(),
  }))
}
