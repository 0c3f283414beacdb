// refportPlugin takes customLeadTrack without a refport instance, and requires one of the two.
import { refportPlugin } from '@refport/better-auth'
import { Refport } from 'refport'

refportPlugin({ customLeadTrack: async (user, ctx) => console.log(user.id, ctx.getCookie('refp_id')) })
refportPlugin({ refport: new Refport() })
refportPlugin({ refport: new Refport(), customLeadTrack: async () => {} })
// @ts-expect-error neither refport nor customLeadTrack
refportPlugin({ eventName: 'Sign Up' })
