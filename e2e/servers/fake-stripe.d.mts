// Types for fake-stripe.mjs (plain JS so the playground runs it with node, no build step).
import type { RequestListener } from 'node:http'

export declare const API_VERSION: string
export declare const FAKE_WEBHOOK_SECRET: string
export interface Product {
  name: string
  amount: number
  currency: string
  mode: 'payment' | 'subscription'
}
export declare const PRODUCTS: Record<string, Product>
export interface Delivery {
  eventId: string
  type: string
  status: number
  body: string
}
export declare function createFakeStripe(options: { webhookUrl: string; webhookSecret?: string; publicUrl: string }): {
  handler: RequestListener
  sessions: Map<string, Record<string, unknown>>
  deliveries: Delivery[]
}
