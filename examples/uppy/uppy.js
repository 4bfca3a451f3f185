// Uppy uploading through bucketgate: the whole client setup. bucketgate picks the key, signs the
// exact size and the parts; the page only has to send the size and follow the server's limits.
import Uppy from '@uppy/core'
import AwsS3 from '@uppy/aws-s3'

/** An Uppy for the signed-in user (same-origin cookie) of the bucketgate API at `api`. */
export async function createUppy(api = '/api') {
  const { limits } = await (await fetch(`${api}/me`)).json()
  const uppy = new Uppy({ restrictions: { maxFileSize: limits.maxBytes, allowedFileTypes: limits.allowedTypes } })
  // Uppy sends no size by default; bucketgate signs exactly this one.
  uppy.on('file-added', (file) => uppy.setFileMeta(file.id, { size: file.size }))
  uppy.use(AwsS3, {
    companionEndpoint: `${api}/uppy`, // @uppy/aws-s3 v5: `endpoint`
    shouldUseMultipart: (file) => file.size >= limits.multipartThreshold,
  })
  return uppy
}
