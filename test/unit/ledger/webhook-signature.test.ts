// Standard Webhooks signatures (src/ledger/webhook-signature.ts) verify with the spec's own library,
// for `whsec_` and raw secrets, and a changed body does not.
import { expect, test } from 'vitest'
import { Webhook } from 'standardwebhooks'
import { signWebhook } from '../../../src/ledger/webhook-signature'

test('signatures verify with the standardwebhooks library, for whsec_ and raw secrets', async () => {
  const body = JSON.stringify({ type: 'upload.completed', data: { key: 'a/b.txt' } })
  const now = Math.floor(Date.now() / 1000)
  const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  expect(new Webhook(whsec).verify(body, await signWebhook(whsec, 'msg_1', now, body))).toEqual(JSON.parse(body))
  const raw = 'a raw secret of enough length'
  expect(new Webhook(raw, { format: 'raw' }).verify(body, await signWebhook(raw, 'msg_2', now, body))).toEqual(
    JSON.parse(body),
  )
  const tampered = await signWebhook(whsec, 'msg_1', now, body)
  expect(() => new Webhook(whsec).verify(body.replace('b.txt', 'c.txt'), tampered)).toThrow()
})
