/**
 * Debug logging, compiled into the debug build only (`dist/refport.debug.js`, and the
 * sources the tests run): the normal builds define `__REFPORT_DEBUG__` as `false`, so every
 * `DEBUG && log(...)` and its message text disappear from them. Bytes a visitor downloads
 * on every page should not carry sentences only a developer reads.
 */
declare const __REFPORT_DEBUG__: boolean | undefined

/** True in the debug build: guard every {@link log} call with it. */
export const DEBUG: boolean = typeof __REFPORT_DEBUG__ == 'undefined' || __REFPORT_DEBUG__

let enabled: boolean | undefined

/** Turns debug logging on or off for this page. */
export const setDebug = (on: boolean | undefined): void => {
  enabled = on
}

/** Logs a decision when `debug` is on; the tracker is otherwise silent. */
export const log = (...message: unknown[]): void => {
  // A host page can replace console.info with something that throws; logging must not.
  if (enabled)
    try {
      console.info('[refport]', ...message)
    } catch {}
}
