/**
 * The `window.refport` global that the script-tag build (`refport-js/script`) defines, for
 * pages written in TypeScript (the CommonJS twin of `global.d.ts`). Bring it into a project once, from any file:
 *
 * ```ts
 * import type {} from 'refport-js/global'
 *
 * const clickId = window.refport?.getClickId() ?? null
 * ```
 *
 * It is optional on `Window`: until the script has loaded (it is usually `async`), the
 * global is missing or is the queueing stub of the README's snippet.
 */
import type { RefportGlobal } from '../dist/index.cjs'

declare global {
  interface Window {
    /** The Refport tracker of the `<script src=".../refport.js">` tag, once it has loaded. */
    refport?: RefportGlobal
  }
}

export type { RefportGlobal }
