// The page's own rule, checked in its source: user text reaches the DOM only through textContent
// and attributes. Any HTML-parsing sink in static/ fails the suite, whatever the test files cover.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const STATIC = fileURLToPath(new URL('../../static', import.meta.url))
const HTML_SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|srcdoc)\b/

it('static/ uses no HTML-parsing DOM sink (innerHTML and friends), no inline script and no CDN', async () => {
  const files = (await readdir(STATIC, { recursive: true })).filter((f) => /\.(js|html|css)$/.test(f))
  expect(files).toContain(join('js', 'main.js'))
  for (const file of files) {
    const source = await readFile(join(STATIC, file), 'utf8')
    expect(HTML_SINKS.exec(source)?.[0], `${file} uses an HTML sink`).toBeUndefined()
    expect(/<script(?![^>]*\bsrc=)[^>]*>/.exec(source)?.[0], `${file} has an inline script`).toBeUndefined()
    const inlineHandler = file.endsWith('.html') ? /\son[a-z]+\s*=/.exec(source)?.[0] : undefined
    expect(inlineHandler, `${file} has an inline event handler`).toBeUndefined()
    expect(/(src|href)=["']?(https?:)?\/\//.exec(source)?.[0], `${file} loads from another origin`).toBeUndefined()
  }
})
