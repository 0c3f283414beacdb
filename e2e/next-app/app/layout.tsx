import type { Metadata } from 'next'
import { cookies } from 'next/headers'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { RefportTracker } from 'refport-js/react'

// An empty icon keeps the browser's favicon request (a 404) out of the e2e console logs.
export const metadata: Metadata = { title: 'Acme (Refport example)', icons: { icon: 'data:,' } }

/**
 * The root layout is a server component; `<RefportTracker />` is a client component that
 * renders nothing, so it can sit here directly and runs on every page. The mock API
 * answers on 127.0.0.1:4010 unless NEXT_PUBLIC_REFPORT_API_HOST says otherwise.
 * The e2e suite picks `urlCleanup` per browser with the `e2e_url_cleanup` cookie.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const urlCleanup = (await cookies()).get('e2e_url_cleanup')?.value === 'all' ? 'all' : undefined
  return (
    <html lang="en">
      <body>
        <RefportTracker
          publishableKey={process.env.NEXT_PUBLIC_REFPORT_PUBLISHABLE_KEY ?? 'pk_test_refport'}
          apiHost={process.env.NEXT_PUBLIC_REFPORT_API_HOST ?? 'http://127.0.0.1:4010'}
          urlCleanup={urlCleanup}
        />
        <nav>
          <Link href="/" data-testid="nav-home">
            Home
          </Link>{' '}
          ·{' '}
          <Link href="/pricing" data-testid="nav-pricing">
            Pricing
          </Link>{' '}
          ·{' '}
          <Link href="/sign-up" data-testid="nav-sign-up">
            Sign up
          </Link>{' '}
          ·{' '}
          <Link href="/url" data-testid="nav-url">
            URL
          </Link>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  )
}
