// Phone-sized photos made in the browser (no downloads, no image library in Node): gradients,
// shapes and sensor-like noise on a 10-megapixel canvas, encoded as JPEG by Chromium, 2–4 MB each.
import type { Page } from 'playwright-core'

/**
 * Makes `count` photo-like JPEGs of 2–4 MB in the page (gradients, shapes and sensor-like noise on
 * a 10-megapixel canvas) and drops them on the page, as a drag from the desktop would.
 */
export async function dropPhotos(page: Page, count: number): Promise<{ name: string; size: number }[]> {
  return page.evaluate(async (count) => {
    const files: File[] = []
    for (let i = 0; i < count; i++) {
      const [w, h] = [3600, 2700]
      const canvas = new OffscreenCanvas(w, h)
      const g = canvas.getContext('2d')!
      const sky = g.createLinearGradient(0, 0, w, h)
      sky.addColorStop(0, `hsl(${i * 30}, 60%, 65%)`)
      sky.addColorStop(1, `hsl(${i * 30 + 140}, 55%, 30%)`)
      g.fillStyle = sky
      g.fillRect(0, 0, w, h)
      let seed = i + 1
      const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
      for (let k = 0; k < 60; k++) {
        g.fillStyle = `hsla(${random() * 360}, 70%, 50%, 0.5)`
        g.beginPath()
        g.arc(random() * w, random() * h, 40 + random() * 400, 0, 2 * Math.PI)
        g.fill()
      }
      const pixels = g.getImageData(0, 0, w, h)
      for (let j = 0; j < pixels.data.length; j += 4) {
        const noise = (random() - 0.5) * 30
        pixels.data[j] += noise
        pixels.data[j + 1] += noise
        pixels.data[j + 2] += noise
      }
      g.putImageData(pixels, 0, 0)
      const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })
      files.push(new File([jpeg], `photo-${String(i + 1).padStart(2, '0')}.jpg`, { type: 'image/jpeg' }))
    }
    const data = new DataTransfer()
    for (const file of files) data.items.add(file)
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
    }
    return files.map((f) => ({ name: f.name, size: f.size }))
  }, count)
}
