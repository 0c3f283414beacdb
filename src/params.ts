/**
 * A query string (`location.search`, `URL.search`) without the `names` params, every other
 * pair exactly as written and in order, without the leading `?`. String surgery on
 * purpose: `URLSearchParams` would re-encode the rest (`%20` → `+`, `flag` → `flag=`).
 * Names are compared decoded, as `URLSearchParams` reads them, so `refp%5Fid=…` goes too.
 */
export const dropParams = (search: string, names: string[]): string =>
  search
    .slice(1)
    .split('&')
    .filter((pair) => !names.includes(paramName(pair)))
    .join('&')

/** The decoded name of a `name=value` pair (application/x-www-form-urlencoded: `+` is a space). */
function paramName(pair: string): string {
  const name = pair.split('=')[0]!.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(name)
  } catch {
    return name // a malformed escape (`%zz`) is no name of ours
  }
}
