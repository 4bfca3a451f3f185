// Who the caller is, as established by a verified token; `root` is their key prefix and never leaves the server.
export type User = {
  id: string
  root: string
}
