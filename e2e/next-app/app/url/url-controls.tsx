'use client'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { revalidateUrlPage } from './actions'

/** Renders what `useSearchParams()` holds and offers every App Router way to re-render or rewrite the URL. */
export function UrlControls() {
  const router = useRouter()
  const pathname = usePathname()
  const searchParams = useSearchParams()
  // The usual "set one filter, keep the rest" pattern: it copies whatever the router holds.
  const withTab = new URLSearchParams(searchParams)
  withTab.set('tab', 'annual')
  return (
    <>
      <p>
        useSearchParams(): <output data-testid="client-search">{searchParams.toString()}</output>
      </p>
      <button type="button" data-testid="refresh" onClick={() => router.refresh()}>
        router.refresh()
      </button>
      <form action={revalidateUrlPage}>
        <button type="submit" data-testid="revalidate">
          Server Action with revalidatePath()
        </button>
      </form>
      <button type="button" data-testid="replace-other" onClick={() => router.replace(`${pathname}?tab=monthly`)}>
        router.replace() with other params
      </button>
      <button type="button" data-testid="replace-merged" onClick={() => router.replace(`${pathname}?${withTab}`)}>
        router.replace() with useSearchParams() plus one
      </button>
    </>
  )
}
