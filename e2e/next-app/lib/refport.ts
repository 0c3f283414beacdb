import { Refport } from 'refport'

/**
 * The app's server SDK client. The key comes from `REFPORT_API_KEY` and, when
 * `REFPORT_API_URL` is set (the e2e suite points it at the mock API), so does the host.
 */
export const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
