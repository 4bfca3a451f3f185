// Unfinished multipart uploads remembered in this browser (localStorage), by user and file (name,
// size, date, type), so choosing the same file again after a reload resumes instead of restarting.
// The page has one memory (`uploadMemory`, in localStorage); a storage can be passed in so this can
// be tried without a browser.

const STORAGE_KEY = 'bucketgate.multipart.v1'

/**
 * @typedef {import('./api.js').MultipartUpload & {owner: string, name: string}} RememberedUpload
 * @typedef {Pick<Storage, 'getItem' | 'setItem'>} KeyValueStore
 */

/**
 * @param {{storage?: KeyValueStore}} [opts] storage: localStorage unless given (looked up when used)
 */
export function createUploadMemory({ storage } = {}) {
  const store = () => storage ?? localStorage

  /** Whose uploads are remembered and resumed (the signed-in user's id). */
  let owner = ''

  /** @returns {Record<string, RememberedUpload>} */
  function loadAll() {
    try {
      const all = JSON.parse(store().getItem(STORAGE_KEY) ?? '{}')
      return all && typeof all === 'object' ? all : {}
    } catch {
      return {}
    }
  }

  /** @param {Record<string, RememberedUpload>} all */
  function saveAll(all) {
    try {
      store().setItem(STORAGE_KEY, JSON.stringify(all))
    } catch {
      // Storage full or disabled: the upload still works, it just cannot resume after a reload.
    }
  }

  return {
    /** Call on sign-in: only that user's unfinished uploads are resumed or listed. @param {string} id */
    setOwner(id) {
      owner = id
    },
    /**
     * Identifies "the same file" of the same user across reloads; the File itself does not survive one.
     * @param {{name: string, size: number, lastModified: number, type: string}} file
     */
    fingerprint(file) {
      return [owner, file.name, file.size, file.lastModified, file.type].join('\n')
    },
    /**
     * The remembered upload for this fingerprint, if it has not expired.
     * @param {string} fingerprint
     * @returns {RememberedUpload | null}
     */
    recall(fingerprint, now = Date.now()) {
      const saved = loadAll()[fingerprint]
      return saved && Date.parse(saved.expiresAt) > now ? saved : null
    },
    /**
     * @param {string} fingerprint
     * @param {import('./api.js').MultipartUpload} upload
     */
    remember(fingerprint, upload) {
      saveAll({ ...loadAll(), [fingerprint]: { ...upload, owner, name: fingerprint.split('\n')[1] } })
    },
    /** @param {string} fingerprint */
    forget(fingerprint) {
      const all = loadAll()
      delete all[fingerprint]
      saveAll(all)
    },
    /** The owner's unfinished uploads (not expired): `[{name, size, expiresAt}]`. */
    unfinished(now = Date.now()) {
      return Object.values(loadAll())
        .filter((u) => u.owner === owner && Date.parse(u.expiresAt) > now)
        .map((u) => ({ name: u.name, size: u.size, expiresAt: u.expiresAt }))
    },
  }
}

/** The page's memory of unfinished uploads: set its owner on sign-in (main.js). */
export const uploadMemory = createUploadMemory()
