/**
 * The first-party landing middleware's Fetch-standard core. `refport/express` and
 * `refport/next` are thin adapters over it; any Fetch framework can call it directly.
 */
export {
  createRefportLanding,
  type LandingContext,
  type LandingHandler,
  type LandingResult,
} from './handler'
export type { RefportLandingOptions } from './options'
