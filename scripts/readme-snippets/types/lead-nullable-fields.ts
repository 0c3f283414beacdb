// A Better Auth user's image (and, with some providers, name) is `string | null | undefined`:
// track.lead takes it as is under strict, and drops null before sending.
import { Refport, type LeadInput } from 'refport'

declare const user: { id: string; email: string; name: string | null; image?: string | null | undefined }
const refport = new Refport({ apiKey: 'rp_test' })
await refport.track.lead({
  clickId: 'cl_1',
  eventName: 'Sign Up',
  customerExternalId: user.id,
  customerEmail: user.email,
  customerName: user.name,
  customerAvatar: user.image,
})
const lead: LeadInput = { clickId: 'cl_1', eventName: 'Sign Up', customerExternalId: user.id, customerAvatar: null }
await refport.track.lead(lead)
// @ts-expect-error customerAvatar is a URL string, not a number
await refport.track.lead({ ...lead, customerAvatar: 42 })
