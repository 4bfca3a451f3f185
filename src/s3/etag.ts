// ETags as clients see them: AWS sends them quoted, Ceph RGW and some others bare; one form for all.
export function unquoteEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '')
}
