/**
 * The host names the e2e servers answer for, all on 127.0.0.1 (ports in
 * e2e/servers/config.mjs). Chromium maps them with --host-resolver-rules, Firefox with its
 * `network.dns.localDomains` pref, WebKit through a loopback proxy (webkit/host-proxy.ts).
 */
export const TEST_HOSTS = [
  'example.test',
  'www.example.test',
  'app.example.test',
  'other-brand.test',
  'www.other-brand.test',
] as const
