import { version as reactVersion } from 'react'
import { version as reactDomVersion } from 'react-dom'
import { expect, it } from 'vitest'

// The same suite runs against React 19 (root) and React 18 (packages/test-support/fixtures/react18/vitest.config.ts);
// this proves each run really loaded the React it claims to test.
it('runs against the expected React major, with a matching ReactDOM', () => {
  const major = process.env.REFPORT_REACT_MAJOR ?? '19'
  expect(reactVersion.split('.')[0]).toBe(major)
  expect(reactDomVersion).toBe(reactVersion)
})
