// The bucketgate API, one small function per call. Same origin, so the session cookie rides along;
// every non-2xx answer becomes an ApiError carrying the server's {"error": {"code", "message"}}.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message)
    this.status = status
    this.code = code
  }
}

async function request(path, { method = 'GET', body } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, init)
  } catch {
    throw new ApiError(0, 'network', 'Could not reach bucketgate; check the connection and try again')
  }
  // A body that is not JSON (a proxy's error page) still yields a readable message below.
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const error = data?.error
    throw new ApiError(
      res.status,
      error?.code ?? `http_${res.status}`,
      error?.message ?? `bucketgate answered ${res.status} ${res.statusText}`.trim(),
    )
  }
  return data
}

/** `/api/files/<key>` with each `/`-separated segment encoded, so the key's slashes survive. */
export function fileUrl(key) {
  return `/api/files/${key.split('/').map(encodeURIComponent).join('/')}`
}

/** The same file as an attachment, even an image (the server signs `attachment` for `?download`). */
export function downloadUrl(key) {
  return `${fileUrl(key)}?download`
}

export const getAuth = () => request('/api/auth')
export const signIn = (name) => request('/api/auth/dev', { method: 'POST', body: { name } })
export const signOut = () => request('/api/auth/dev', { method: 'DELETE' })

/** The signed-in user and their limits, or null when nobody is signed in (401). */
export async function getMe() {
  try {
    return await request('/api/me')
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null
    throw err
  }
}

/** An upload ticket for one file: `{ key, expiresAt, upload }`, upload `{ method: 'POST', url, fields }` or `{ method: 'PUT', url, headers }`. */
export const requestTicket = ({ name, type, size }) =>
  request('/api/uploads', { method: 'POST', body: { name, type, size } })

/** One page of the caller's files: `{ files, cursor }`, cursor null on the last page. */
export function listFiles(cursor, limit) {
  const query = new URLSearchParams()
  if (cursor) query.set('cursor', cursor)
  if (limit) query.set('limit', String(limit))
  const qs = query.toString()
  return request(qs ? `/api/files?${qs}` : '/api/files')
}

export const deleteFile = (key) => request(fileUrl(key), { method: 'DELETE' })
