// Types for playground.mjs (plain JS so `npm run playground` needs no build step of its own).
export interface PlaygroundOptions {
  /** Mock API on portBase, marketing site +1, sign-up app +2, dashboard +3, Stripe Checkout stand-in +4. Default 4400. */
  portBase?: number
  /** `localhost` (default) or a domain served as www.<domain> / app.<domain>. */
  domain?: string
}
export interface Playground {
  urls: { api: string; site: string; app: string; dashboard: string; checkout: string }
  ports: { api: number; site: number; app: number; dashboard: number; checkout: number }
  /** What `npm run playground` prints: where to click. */
  welcome: string
  close(): Promise<unknown>
}
export declare function startPlayground(options?: PlaygroundOptions): Promise<Playground>
