// Share ids: 128 random bits in base64url, so an id is unguessable and says nothing about its
// owner, their root or the file's key. Anything else in a /s/ URL is refused before any lookup.
import { base64FromBytes, toBase64Url } from '../util/base64'

/** 16 bytes of randomness; base64url without padding is 22 characters. */
const ID_BYTES = 16
const SHARE_ID = /^[A-Za-z0-9_-]{22}$/

export function newShareId(): string {
  return toBase64Url(base64FromBytes(crypto.getRandomValues(new Uint8Array(ID_BYTES))))
}

export function isShareId(id: string): boolean {
  return SHARE_ID.test(id)
}
