// The replica's docroot for `--shop woocommerce`: WordPress core and WooCommerce from their pinned,
// checksum-verified archives (pins.ts), kept in <state dir>/downloads, unpacked once; rebuilt when
// the pins change. Refuses before anything starts when a pin has no checksum.
import path from 'node:path';
import type { Layout } from '../layout.ts';
import { checkPinned, fetchArchive } from './fetch-archive.ts';
import { WOOCOMMERCE_PIN, WORDPRESS_PIN, type ArchivePin } from './pins.ts';
import { buildWooDocroot, docrootMatches, type ShopMarker } from './unpack.ts';

export interface WooDocrootOptions {
  /** Base URL of a mirror holding the archives by file name; default env REHEARSE_WP_MIRROR. */
  mirror?: string;
  log?: (line: string) => void;
  /** The archives; default the pins in pins.ts (tests pass stand-ins). */
  pins?: { wordpress: ArchivePin; woocommerce: ArchivePin };
}

/** Throws the "fill in the checksum" error for the first unpinned archive; call before starting anything. */
export function checkWooPins(): void {
  checkPinned(WORDPRESS_PIN);
  checkPinned(WOOCOMMERCE_PIN);
}

/** Builds the docroot when it is missing or from other pins; true when it was (re)built. */
export async function ensureWooDocroot(layout: Layout, o: WooDocrootOptions = {}): Promise<boolean> {
  const { docroot } = layout.wordpress;
  const pins = o.pins ?? { wordpress: WORDPRESS_PIN, woocommerce: WOOCOMMERCE_PIN };
  const marker: ShopMarker = {
    shop: 'woocommerce',
    wordpress: pins.wordpress.version,
    woocommerce: pins.woocommerce.version,
  };
  if (docrootMatches(docroot, marker)) return false;
  const fetchOpts = { cacheDir: path.join(layout.stateDir, 'downloads'), mirror: o.mirror, log: o.log };
  const [wordpressArchive, woocommerceArchive] = await Promise.all([
    fetchArchive(pins.wordpress, fetchOpts),
    fetchArchive(pins.woocommerce, fetchOpts),
  ]);
  await buildWooDocroot(docroot, { wordpressArchive, woocommerceArchive, marker, log: o.log });
  o.log?.(`local replica: WordPress ${marker.wordpress} + WooCommerce ${marker.woocommerce} unpacked into ${docroot}`);
  return true;
}
