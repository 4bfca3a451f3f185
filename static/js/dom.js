// Finds a named part of the page or of a cloned <template>, checked to be the element it must be,
// so a renamed class in index.html fails loudly at the first use instead of a silent null later.

/**
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} selector
 * @param {abstract new (...args: any[]) => T} type e.g. HTMLButtonElement
 * @returns {T}
 */
export function part(root, selector, type) {
  const found = root.querySelector(selector)
  if (!(found instanceof type)) throw new Error(`The page has no ${type.name} for ${selector}`)
  return found
}

/**
 * The first element of a <template>, cloned.
 * @param {HTMLTemplateElement} template
 * @returns {HTMLElement}
 */
export function cloneTemplate(template) {
  const clone = template.content.firstElementChild?.cloneNode(true)
  if (!(clone instanceof HTMLElement)) throw new Error(`The template #${template.id} is empty`)
  return clone
}
