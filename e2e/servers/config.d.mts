// Types for config.mjs (plain JS so the playground can run it with node, no build step).
export declare const PORTS: Readonly<{
  mockApi: number
  faultApi: number
  site: number
  siteHttps: number
  siteFirstParty: number
  express: number
  hono: number
  betterAuth: number
  next: number
  playground: number
  landing: number
  fakeStripe: number
}>
export declare const API_KEY: string
export declare const PUBLISHABLE_KEY: string
export declare const ORIGINS: Readonly<{
  mockApi: string
  faultApi: string
  site: string
  siteHttps: string
  siteFirstParty: string
  siteIp: string
  express: string
  otherBrand: string
  hono: string
  betterAuth: string
  next: string
  landing: string
  fakeStripe: string
}>
export declare const HOST_RESOLVER_RULES: string
export declare const CHROMIUM_PATH: string
export declare const CHROMIUM_ARGS: readonly string[]
