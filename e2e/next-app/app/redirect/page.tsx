'use client'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

/**
 * Sends the visitor on at once, dropping the query, as locale redirects and
 * `router.replace` clean-ups do: the referral in the landing URL must still be counted.
 */
export default function RedirectPage() {
  const router = useRouter()
  useEffect(() => router.replace('/pricing'), [router])
  return <p data-testid="page-redirect">Redirecting…</p>
}
