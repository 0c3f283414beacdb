import { randomUUID } from 'node:crypto'
import { UrlControls } from './url-controls'

/**
 * The query as the server saw it, the client's `useSearchParams()`, and the ways an App
 * Router page re-renders or rewrites its own URL: after the tracker removed `refp_id` from
 * the address bar, none of them may bring it back. `render-id` changes with every server
 * render, so a test can wait for a refresh to land.
 */
export default async function UrlPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const query = new URLSearchParams()
  for (const [name, values] of Object.entries(await searchParams))
    for (const value of [values ?? []].flat()) query.append(name, value)
  return (
    <>
      <h1 data-testid="page-url">URL</h1>
      <p>
        Server render <output data-testid="render-id">{randomUUID()}</output> saw{' '}
        <output data-testid="server-search">{query.toString()}</output>
      </p>
      <UrlControls />
    </>
  )
}
