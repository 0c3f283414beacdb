let enabled: boolean | undefined

/** Turns debug logging on or off for this page. */
export const setDebug = (on: boolean | undefined): void => {
  enabled = on
}

/** Logs a decision when `debug` is on; the tracker is otherwise silent. */
export const log = (...message: unknown[]): void => {
  // A host page can replace console.info with something that throws; logging must not.
  if (enabled) try { console.info('[refport]', ...message) } catch {}
}
