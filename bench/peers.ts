/**
 * Where the benchmark finds Dub's tracking scripts, built from their public source into
 * the shared `peers/dub/` folder beside this repository (`../shared/peers/dub`, present in
 * CI). A user's clone has no such folder: every peer row is then skipped with a reason,
 * never filled with a remembered figure.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The product's size rule: our script tag and `init` at most this share of Dub's all-features script (brotli). */
export const SIZE_RATIO_TO_DUB = 0.75

/**
 * What CI holds while the tracker is still over {@link SIZE_RATIO_TO_DUB} (README "Size"):
 * ours may not grow against Dub's all-features script beyond this share. Lower it as bytes
 * come off; raising it needs a line in the README saying why.
 */
export const SIZE_RATIO_CEILING_TO_DUB = 1.235

/** Dub's script with no extension: what its loader picks for a plain `?via=` referral setup. */
export const DUB_BASE_FILE = 'script.js'
/** Dub's script with every extension (site visits, outbound links, conversions). */
export const DUB_ALL_FEATURES_FILE = 'script.site-visit.outbound-domains.conversion-tracking.js'

/** Dub's two scripts the benchmark measures, or why they are missing. */
export type DubPeer =
  | { present: true; dir: string; base: string; allFeatures: string }
  | { present: false; dir: string; reason: string }

/**
 * Looks for Dub's scripts in `DUB_PEER_DIR` (environment) or `<root>/../shared/peers/dub`.
 *
 * @example
 * ```ts
 * const dub = findDubPeer(root)
 * if (!dub.present) console.warn(dub.reason)
 * ```
 */
export function findDubPeer(root: string, env: Record<string, string | undefined> = process.env): DubPeer {
  const dir = resolve(env.DUB_PEER_DIR ?? join(root, '../shared/peers/dub'))
  const missing = [DUB_BASE_FILE, DUB_ALL_FEATURES_FILE].filter((file) => !existsSync(join(dir, file)))
  if (missing.length)
    return {
      present: false,
      dir,
      reason: `Dub’s scripts not found (${missing.join(', ')} missing in ${dir}): peer rows skipped. They ship in the shared peers folder beside the repository (as in CI); DUB_PEER_DIR=<folder> points elsewhere.`,
    }
  return { present: true, dir, base: join(dir, DUB_BASE_FILE), allFeatures: join(dir, DUB_ALL_FEATURES_FILE) }
}
