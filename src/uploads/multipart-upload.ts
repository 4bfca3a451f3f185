// The steps of a multipart upload, shared by /api/multipart and the Uppy routes: start it at a new
// key under the caller's root with a signed upload token, open that token for a later step (only for
// the key it names), sign part URLs for each part's exact length, and complete only when S3 holds
// every planned part at its planned length, so the object is exactly the declared size.
import type { Config } from '../config'
import { ApiError, S3Error } from '../errors'
import { resolveKey } from '../keys'
import { unquoteEtag } from '../s3/etag'
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts } from '../s3/multipart'
import type { UploadedPart } from '../s3/xml'
import { createPresigner } from '../signing/presign'
import { newObjectName } from './object-names'
import { partLength, type PartPlan } from './part-plan'
import type { CompletedFile } from './upload-events'
import { signUploadToken, verifyUploadToken, type UploadGrant } from './upload-token'

export type StartedUpload = { relativeKey: string; grant: UploadGrant; token: string }
export type SignedPart = { partNumber: number; size: number; url: string; expiresAt: string }

function noSuchUpload(): ApiError {
  return new ApiError(404, 'no_such_upload', 'No such upload for this key (finished, aborted, expired or not yours)')
}

const bareEtag = (etag: string) => unquoteEtag(etag).toLowerCase()

/** Holds an upload against the caller's quota (the ledger), and lets it go if S3 never starts it. */
export type Hold = {
  reserve(key: string, size: number, type: string, until: Date): Promise<unknown>
  cancel(key: string): Promise<unknown>
}

/**
 * Creates the S3 upload at a fresh key under `root` and the token that binds it to that key and
 * plan; with a `hold`, only after the quota took its size.
 */
export async function startUpload(
  config: Config,
  root: string,
  file: { name: string; type: string },
  plan: PartPlan,
  now: Date,
  hold?: Hold,
): Promise<StartedUpload> {
  const relativeKey = newObjectName(file.name, now)
  const key = resolveKey(root, relativeKey)
  const expires = Math.floor(now.getTime() / 1000) + config.multipart.ttlSeconds
  await hold?.reserve(key, plan.size, file.type, new Date(expires * 1000))
  let uploadId: string
  try {
    uploadId = await createMultipartUpload(config.s3, key, file.type)
  } catch (err) {
    await hold?.cancel(key).catch(() => {})
    throw err
  }
  const grant: UploadGrant = { key, uploadId, size: plan.size, partSize: plan.partSize, type: file.type, expires }
  return { relativeKey, grant, token: await signUploadToken(config.s3.secretAccessKey, grant) }
}

/**
 * The grant of `token`, only if it verifies and names the caller's `relativeKey` (and, when given,
 * S3's `uploadId`); 404 otherwise.
 */
export async function openUpload(
  config: Config,
  root: string,
  relativeKey: string,
  token: string,
  uploadId?: string,
): Promise<{ grant: UploadGrant; plan: PartPlan }> {
  const key = resolveKey(root, relativeKey)
  const grant = await verifyUploadToken(config.s3.secretAccessKey, token, Date.now())
  if (!grant || grant.key !== key || (uploadId !== undefined && grant.uploadId !== uploadId)) throw noSuchUpload()
  const plan: PartPlan = {
    size: grant.size,
    partSize: grant.partSize,
    partCount: Math.ceil(grant.size / grant.partSize),
  }
  return { grant, plan }
}

/** S3's "that upload is gone" (RGW says NoSuchKey after an abort) becomes our 404. */
async function onUpload<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (err) {
    if (err instanceof S3Error && (err.s3Code === 'NoSuchUpload' || err.s3Code === 'NoSuchKey')) throw noSuchUpload()
    throw err
  }
}

/** PUT URLs for parts `numbers`, each signing that part's exact Content-Length, valid no longer than the token. */
export async function signParts(
  config: Config,
  grant: UploadGrant,
  plan: PartPlan,
  numbers: number[],
  now: Date,
): Promise<SignedPart[]> {
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 1 || n > plan.partCount) {
      throw new ApiError(400, 'invalid_part', `This upload has parts 1 to ${plan.partCount}, not ${n}`)
    }
  }
  const expiresSeconds = Math.max(
    1,
    Math.min(config.upload.ttlSeconds, grant.expires - Math.floor(now.getTime() / 1000)),
  )
  const expiresAt = new Date(now.getTime() + expiresSeconds * 1000).toISOString()
  const parts = numbers.map((n) => ({ partNumber: n, size: partLength(plan, n) }))
  const presigner = await createPresigner(config.s3, now)
  const urls = await presigner.signAll(
    parts.map(({ partNumber, size }) => ({
      method: 'PUT',
      key: grant.key,
      expiresSeconds,
      query: { partNumber: String(partNumber), uploadId: grant.uploadId },
      headers: { 'content-length': String(size) },
    })),
  )
  return parts.map((p, i) => ({ ...p, url: urls[i], expiresAt }))
}

export function heldParts(config: Config, grant: UploadGrant): Promise<UploadedPart[]> {
  return onUpload(listParts(config.s3, grant.key, grant.uploadId))
}

/** The ledger's count of a finished object (its confirm): the file as recorded, and the usage after it. */
export type Confirm = (key: string) => Promise<{ file: CompletedFile; usage: unknown }>

/**
 * Completes the upload when `sent` names every planned part, in order, as S3 holds it at its
 * planned size, then has `confirm` count it. Should the ledger not manage, the upload still
 * succeeds: its reservation stays and the ledger's alarm counts the object later.
 */
export async function completeUpload(
  config: Config,
  grant: UploadGrant,
  plan: PartPlan,
  sent: { partNumber: number; etag: string }[],
  confirm?: Confirm,
): Promise<{ file: CompletedFile; usage?: unknown }> {
  if (sent.length !== plan.partCount || sent.some((p, i) => p.partNumber !== i + 1)) {
    throw new ApiError(400, 'invalid_parts', `Send every part, 1 to ${plan.partCount}, once and in order`)
  }
  const held = new Map((await heldParts(config, grant)).map((p) => [p.partNumber, p]))
  for (const p of sent) {
    const part = held.get(p.partNumber)
    const planned = partLength(plan, p.partNumber)
    if (!part) throw new ApiError(400, 'invalid_parts', `Part ${p.partNumber} has not been uploaded`)
    if (part.size !== planned) {
      throw new ApiError(400, 'invalid_parts', `Part ${p.partNumber} is ${part.size} bytes, not ${planned}`)
    }
    if (bareEtag(part.etag) !== bareEtag(p.etag)) {
      throw new ApiError(400, 'invalid_parts', `Part ${p.partNumber}'s ETag does not match what the storage holds`)
    }
  }
  const parts = sent.map((p) => ({ ...p, etag: bareEtag(p.etag) }))
  let completed: CompletedFile
  try {
    const { etag } = await onUpload(completeMultipartUpload(config.s3, grant.key, grant.uploadId, parts))
    completed = { key: grant.key, size: grant.size, type: grant.type, etag }
  } catch (err) {
    // InvalidPart, InvalidPartOrder, EntityTooSmall: the parts do not make a valid object.
    if (err instanceof S3Error && err.status === 400) {
      throw new ApiError(400, 'invalid_parts', `The storage refused the parts: ${err.s3Code}`)
    }
    throw err
  }
  if (!confirm) return { file: completed }
  try {
    return await confirm(grant.key)
  } catch (err) {
    console.error(JSON.stringify({ ledger: 'confirm_deferred', key: grant.key, error: String(err) }))
    return { file: completed }
  }
}

export function abortUpload(config: Config, grant: UploadGrant): Promise<void> {
  return onUpload(abortMultipartUpload(config.s3, grant.key, grant.uploadId))
}
