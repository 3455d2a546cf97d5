// The real shop's pinned downloads: WordPress core and the WooCommerce plugin, from their official
// archives, each checked against the SHA-256 written here before anything is unpacked.
//
// FILL IN: these machines have no internet, so the checksums could not be taken here. On a machine
// that can download, run (and compare with a second source, e.g. a colleague's machine):
//   curl -fsSLO https://wordpress.org/wordpress-6.8.3.tar.gz && sha256sum wordpress-6.8.3.tar.gz
//   curl -fsSLO https://downloads.wordpress.org/plugin/woocommerce.10.0.2.zip && sha256sum woocommerce.10.0.2.zip
// and write the 64 hex digits into `sha256` below. Until then `--shop woocommerce` refuses to start.

export interface ArchivePin {
  /** What it is, for messages: "WordPress core", "WooCommerce plugin". */
  label: string;
  version: string;
  /** The archive's file name: the last part of its URL, and its name under a mirror. */
  file: string;
  /** Its official download URL. */
  url: string;
  /** Lower-case hex SHA-256 of the archive, or null while not filled in (then the install refuses). */
  sha256: string | null;
}

/** Where this file is, for "fill in the checksum" messages. */
export const PINS_FILE = 'infra/local/woocommerce/pins.ts';

/** WordPress ≥ 6.7 (WooCommerce 10 needs it); 6.8.x as measured in /work/shared/notes/woocommerce-cost.md. */
export const WORDPRESS_PIN: ArchivePin = {
  label: 'WordPress core',
  version: '6.8.3',
  file: 'wordpress-6.8.3.tar.gz',
  url: 'https://wordpress.org/wordpress-6.8.3.tar.gz',
  sha256: null, // FILL IN: sha256sum wordpress-6.8.3.tar.gz
};

export const WOOCOMMERCE_PIN: ArchivePin = {
  label: 'WooCommerce plugin',
  version: '10.0.2',
  file: 'woocommerce.10.0.2.zip',
  url: 'https://downloads.wordpress.org/plugin/woocommerce.10.0.2.zip',
  sha256: null, // FILL IN: sha256sum woocommerce.10.0.2.zip
};

/** Env var naming a mirror: a base URL under which the archives lie by their file names. */
export const MIRROR_ENV = 'REHEARSE_WP_MIRROR';
