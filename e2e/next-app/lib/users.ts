/** A stand-in for an auth provider: the user id is derived from the email, as a real one would be stable. */
export interface User {
  id: string
  email: string
  name: string
}

export const yourAuthProvider = {
  async createUser({ email, name }: { email: string; name?: string }): Promise<User> {
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error('sign-up: a valid email is required')
    return { id: `user_${email.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`, email, name: name || email.split('@')[0]! }
  },
}
