// A minimal Chrome DevTools Protocol client for workerd's inspector (V8's sampling profiler), used
// by the profiles in bench/app/profile.mjs and bench/e2e-profile.mjs.

/** A minimal CDP client over Node's built-in WebSocket. */
export async function inspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json()
  const target = targets.find((t) => t.webSocketDebuggerUrl)
  if (!target) throw new Error('no inspector target: ' + JSON.stringify(targets))
  // The inspector proxy wants a loopback Origin (undici's WebSocket takes extra headers).
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { Origin: 'http://127.0.0.1' } })
  await new Promise((resolve, reject) => {
    ws.onopen = resolve
    ws.onerror = (e) => reject(new Error(`inspector ${target.webSocketDebuggerUrl}: ${e.message}`))
  })
  let id = 0
  const pending = new Map()
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data)
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id)
      pending.delete(msg.id)
      msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result)
    }
  }
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject })
        ws.send(JSON.stringify({ id, method, params }))
      }),
    close: () => ws.close(),
  }
}
