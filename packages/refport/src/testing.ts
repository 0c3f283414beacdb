/**
 * `refport/testing`: a mock Refport API on loopback that speaks the real wire format, for
 * end-to-end attribution tests without the cloud. Node only (it is an HTTP server); the
 * same server is the `refport-mock` CLI.
 */
export {
  startMockRefportApi,
  MOCK_API_KEY,
  MOCK_PUBLISHABLE_KEY,
  type MockRefportApi,
  type MockRefportApiOptions,
} from './mock/server'
export type { Fault, FaultMap } from './mock/faults'
export type { MockPartner, MockPartners } from './mock/partners'
export type { MockClick, MockState } from './mock/store'
