import type { Metadata } from 'next'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { RefportTracker } from 'refport-js/react'

// An empty icon keeps the browser's favicon request (a 404) out of the e2e console logs.
export const metadata: Metadata = { title: 'Acme (Refport example)', icons: { icon: 'data:,' } }

/**
 * The root layout is a server component; `<RefportTracker />` is a client component that
 * renders nothing, so it can sit here directly and runs on every page. The mock API
 * answers on 127.0.0.1:4010 unless NEXT_PUBLIC_REFPORT_API_HOST says otherwise.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <RefportTracker
          publishableKey={process.env.NEXT_PUBLIC_REFPORT_PUBLISHABLE_KEY ?? 'pk_test_refport'}
          apiHost={process.env.NEXT_PUBLIC_REFPORT_API_HOST ?? 'http://127.0.0.1:4010'}
        />
        <nav>
          <Link href="/" data-testid="nav-home">Home</Link> · <Link href="/pricing" data-testid="nav-pricing">Pricing</Link> ·{' '}
          <Link href="/sign-up" data-testid="nav-sign-up">Sign up</Link>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  )
}
