// What the S3 room needs to reach the bucket. config.ts builds it from the settings; the S3 room
// names it here so it depends on no room above it.
export type S3Settings = {
  endpoint: URL
  region: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`. */
  pathStyle: boolean
  timeoutMs: number
}
