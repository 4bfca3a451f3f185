// S3's URL encoding: RFC 3986 as SigV4 canonicalizes it, for object keys in a path and for query
// strings. URLs, the presigner and the S3 client all write keys and queries through these.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html

const SUB_DELIMS = /[!'()*]/

/** encodeURIComponent leaves !'()* alone; SigV4 wants them escaped too. */
export function encodeRfc3986(s: string): string {
  const encoded = encodeURIComponent(s)
  // Most strings have none of these: one scan, no allocation. Plain string replacements are
  // cheaper than one regular-expression replace with a callback (measured in workerd).
  if (!SUB_DELIMS.test(encoded)) return encoded
  return encoded
    .replaceAll("'", '%27')
    .replaceAll('(', '%28')
    .replaceAll(')', '%29')
    .replaceAll('*', '%2A')
    .replaceAll('!', '%21')
}

/** An object key as a URL path: every byte but unreserved characters and `/` escaped. */
export function encodeKeyPath(key: string): string {
  // encodeURIComponent writes `/` as %2F and a literal `%` as %25, so %2F can only stand for `/`.
  return encodeRfc3986(key).replaceAll('%2F', '/')
}

/**
 * A query string with RFC 3986 escaping. URLSearchParams writes spaces as `+`, which some S3
 * servers read literally and then reject the signature (mhart/aws4fetch#83).
 */
export function toQueryString(params: Iterable<[string, string]>): string {
  const parts: string[] = []
  for (const [name, value] of params) parts.push(encodeRfc3986(name) + '=' + encodeRfc3986(value))
  return parts.join('&')
}
