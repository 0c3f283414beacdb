// Types for start.mjs (plain JS so Playwright's webServer runs it with node).
/** Starts every e2e server; resolves with a function that stops them all. */
export declare function startE2eServers(): Promise<() => Promise<void>>
