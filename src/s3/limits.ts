// S3's protocol limits (AWS; R2 and Ceph RGW keep the same ones), in one place: the settings'
// bounds, the part plan, the presigner and the list route read them from here.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html

const MiB = 1024 ** 2
const GiB = 1024 ** 3

/** One PUT or POST carries at most 5 GiB. */
export const SINGLE_UPLOAD_MAX_BYTES = 5 * GiB
/** A multipart object holds at most 5 TiB. */
export const OBJECT_MAX_BYTES = 5 * 1024 * GiB
/** Every multipart part but the last is at least 5 MiB, and none more than 5 GiB. */
export const PART_MIN_BYTES = 5 * MiB
export const PART_MAX_BYTES = 5 * GiB
/** A multipart upload has at most 10,000 parts, numbered from 1. */
export const MAX_PARTS = 10_000
/** A SigV4 presigned URL lives at most 7 days (604,800 s). */
export const PRESIGN_MAX_EXPIRES_SECONDS = 604_800
/** ListObjectsV2 returns at most 1,000 keys a page. */
export const LIST_MAX_KEYS = 1000
/** ListParts returns at most 1,000 parts a page. */
export const LIST_MAX_PARTS = 1000
