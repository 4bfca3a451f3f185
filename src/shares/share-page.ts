// The public share page, rendered on the server so it works without JavaScript: the file's name,
// size and type with a Download link, or a password form first, or why the link no longer works.
// hono/html escapes every interpolated value; there is no script, and styles come from static/css.
// Every link is relative to the page's own URL, so it stays below wherever the gateway is mounted.
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

type Page = HtmlEscapedString | Promise<HtmlEscapedString>

/** Which of a share's two URLs answers the page: the link (…/s/<id>) or its download (…/s/<id>/download). */
export type PageAt = 'link' | 'download'

/** From the page's URL to the share pages' folder (…/s/): the link is in it, the download one below. */
const TO_SHARES: Record<PageAt, string> = { link: '', download: '../' }

/** The gateway's own files (static/) sit one folder above the share pages. */
const asset = (at: PageAt, file: string) => `${TO_SHARES[at]}../${file}`
const downloadHref = (at: PageAt, id: string) => `${TO_SHARES[at]}${id}/download`

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** 1,572,864 → "1.5 MB": binary steps, one decimal below 10, as the gallery shows sizes. */
export function humanSize(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit]}`
}

function layout(at: PageAt, title: string, body: Page): Page {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="robots" content="noindex" />
        <title>${title} · bucketgate</title>
        <link rel="icon" href="${asset(at, 'favicon.svg')}" type="image/svg+xml" />
        <link rel="stylesheet" href="${asset(at, 'css/app.css')}" />
        <link rel="stylesheet" href="${asset(at, 'css/shares.css')}" />
      </head>
      <body>
        <main class="share-page">
          <section class="panel">${body}</section>
        </main>
      </body>
    </html>`
}

export function filePage(at: PageAt, id: string, file: { name: string; size: number; type: string }): Page {
  return layout(
    at,
    file.name,
    html`<h1>A file shared with you</h1>
      <dl class="share-file">
        <dt>Name</dt>
        <dd class="share-name">${file.name}</dd>
        <dt>Size</dt>
        <dd>${humanSize(file.size)}</dd>
        <dt>Type</dt>
        <dd>${file.type || 'unknown'}</dd>
      </dl>
      <p><a class="button" href="${downloadHref(at, id)}">Download</a></p>`,
  )
}

/** The form comes first for a share with a password; the file's details only after it. */
export function passwordPage(at: PageAt, id: string, problem?: string): Page {
  return layout(
    at,
    'Password needed',
    html`<h1>A file shared with you</h1>
      <p>This link is protected by a password. Ask the person who shared it.</p>
      <form class="inline-form" method="post" action="${downloadHref(at, id)}">
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          maxlength="256"
          autocomplete="off"
          ${problem ? html`aria-invalid="true" aria-describedby="password-problem"` : ''}
        />
        <button type="submit">Download</button>
      </form>
      ${problem ? html`<p id="password-problem" class="share-problem" role="alert">${problem}</p>` : ''}`,
  )
}

/** Gone (410), unknown (404) or refused for now (429): a heading and a sentence. */
export function messagePage(at: PageAt, title: string, words: string): Page {
  return layout(
    at,
    title,
    html`<h1>${title}</h1>
      <p class="share-problem">${words}</p>`,
  )
}
