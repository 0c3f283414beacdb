// @ts-check
/**
 * A throwaway self-signed certificate for the https variant of the marketing site, made at
 * start-up (nothing secret is committed). Chromium only sets a `Secure` cookie, and the
 * tracker only asks for one, on an https page; the browser context ignores the
 * certificate error (`ignoreHTTPSErrors`).
 */
import { generate } from 'selfsigned'

/** @returns {Promise<{ key: string, cert: string }>} */
export async function selfSignedCertificate() {
  const pems = await generate([{ name: 'commonName', value: 'example.test' }], {
    keySize: 2048,
    days: 7,
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'example.test' },
          { type: 2, value: '*.example.test' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  return { key: pems.private, cert: pems.cert }
}
