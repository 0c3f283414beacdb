/** The tracker's `refport:clickid` event, for the tracker's and the React wrapper's unit tests. */

/** Resolves with the `detail` of the next `refport:clickid` event. */
export const nextClickIdEvent = (): Promise<string | null> =>
  new Promise((resolve) =>
    addEventListener('refport:clickid', (event) => resolve((event as CustomEvent<string | null>).detail), {
      once: true,
    }),
  )
