// The Workers rate-limit binding when self-hosted: the same `limit({ key })` → `{ success }`, counted
// in this workerd process over fixed windows of `period` seconds. Cloudflare's count is per location
// and eventually consistent too; this one forgets its counts when the process restarts.
export default function rateLimiter({ limit, period }) {
  const windowMs = period * 1000
  let window = -1
  let counts = new Map()
  return {
    async limit({ key }) {
      const now = Math.floor(Date.now() / windowMs)
      // A new window starts every key afresh, so memory holds one window's keys at most.
      if (now !== window) {
        window = now
        counts = new Map()
      }
      const count = (counts.get(key) ?? 0) + 1
      counts.set(key, count)
      return { success: count <= limit }
    },
  }
}
