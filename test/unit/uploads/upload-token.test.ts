// The multipart upload token verifies only unchanged, unexpired, and signed with the same secret.
import { describe, expect, it } from 'vitest'
import { signUploadToken, verifyUploadToken } from '../../../src/uploads/upload-token'

const grant = {
  key: 'users/alice/x/a.pdf',
  uploadId: 'u1',
  size: 1,
  partSize: 5,
  type: 'application/pdf',
  expires: 2_000_000_000,
}
const now = 1_900_000_000_000

describe('upload token', () => {
  it('round-trips the grant', async () => {
    const token = await signUploadToken('secret-a', grant)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(await verifyUploadToken('secret-a', token, now)).toEqual(grant)
  })

  it('refuses another secret, an edit, an expired grant and garbage', async () => {
    const token = await signUploadToken('secret-a', grant)
    expect(await verifyUploadToken('secret-b', token, now)).toBeNull()
    const [, mac] = token.split('.')
    const edited = (await signUploadToken('secret-a', { ...grant, size: 2 })).split('.')[0]
    expect(await verifyUploadToken('secret-a', `${edited}.${mac}`, now)).toBeNull()
    expect(await verifyUploadToken('secret-a', token, grant.expires * 1000)).toBeNull()
    for (const bad of ['', '.', 'a.b', `${token}.x`, '%%%.***']) {
      expect(await verifyUploadToken('secret-a', bad, now)).toBeNull()
    }
  })
})
