// Unpacks the verified archives into a docroot: WordPress core (tar.gz, by the system tar), then the
// WooCommerce plugin (zip, by the system unzip) into wp-content/plugins, then checks the plugin's
// Composer class map against the files on this case-sensitive filesystem (a release once mapped
// src/Caching/WpCacheEngine.php while shipping WPCacheEngine.php: fatal once HPOS loads it).
// Built beside the target and renamed into place, so a failure leaves no half-made docroot.
import fs from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';
import { RunError } from '../../../errors/errors.ts';

/** What the docroot was built from; a docroot without it (or from other pins) is rebuilt. */
export const SHOP_MARKER = '.rehearse-shop.json';

export interface ShopMarker {
  shop: 'woocommerce';
  wordpress: string;
  woocommerce: string;
}

async function tool(cmd: string, args: string[], what: string, debianPackage: string): Promise<void> {
  const res = await $({ quiet: true, nothrow: true })`${cmd} ${args}`;
  if (res.exitCode === 127) throw new RunError(`${cmd} is not installed: install the Debian package ${debianPackage}`);
  if (res.exitCode !== 0) throw new RunError(`${what} failed: ${res.stderr.trim().slice(0, 500)}`);
}

export interface ClassMapCheck {
  entries: number;
  /** Mapped files found only under another case, copied to the mapped name. */
  fixed: string[];
  /** Mapped files not in the plugin at all. */
  missing: string[];
}

/** Pure: the files a Composer autoload_classmap.php maps, relative to the plugin root. */
export function classMapFiles(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/=>\s*\$(baseDir|vendorDir)\s*\.\s*'([^']+)'/g)) {
    out.push(m[1] === 'vendorDir' ? `vendor${m[2]}` : m[2]!.replace(/^\//, ''));
  }
  return out;
}

/** Every class-map file exists as mapped; one that exists under another case is copied to the mapped name. */
export function checkClassMap(pluginDir: string): ClassMapCheck {
  const mapFile = path.join(pluginDir, 'vendor', 'composer', 'autoload_classmap.php');
  if (!fs.existsSync(mapFile)) return { entries: 0, fixed: [], missing: [] };
  const files = classMapFiles(fs.readFileSync(mapFile, 'utf8'));
  const fixed: string[] = [];
  const missing: string[] = [];
  for (const rel of files) {
    const file = path.join(pluginDir, rel);
    if (fs.existsSync(file)) continue;
    const dir = path.dirname(file);
    const name = path.basename(file).toLowerCase();
    const other = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.toLowerCase() === name) : undefined;
    if (other) {
      fs.copyFileSync(path.join(dir, other), file);
      fixed.push(rel);
    } else {
      missing.push(rel);
    }
  }
  return { entries: files.length, fixed, missing };
}

export interface BuildOptions {
  wordpressArchive: string;
  woocommerceArchive: string;
  marker: ShopMarker;
  log?: (line: string) => void;
}

/** True when `docroot` was built from these pins. */
export function docrootMatches(docroot: string, marker: ShopMarker): boolean {
  try {
    const built: unknown = JSON.parse(fs.readFileSync(path.join(docroot, SHOP_MARKER), 'utf8'));
    return JSON.stringify(built) === JSON.stringify(marker);
  } catch {
    return false;
  }
}

/** WordPress core + WooCommerce, unpacked into `docroot` (replacing what was there). */
export async function buildWooDocroot(docroot: string, o: BuildOptions): Promise<ClassMapCheck> {
  const tmp = `${docroot}.tmp`;
  const unpacked = `${docroot}.unpack`;
  for (const d of [tmp, unpacked]) fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(unpacked, { recursive: true });
  try {
    const tarArgs = ['-xzf', o.wordpressArchive, '-C', unpacked, '--no-same-owner'];
    await tool('tar', tarArgs, `unpacking ${o.wordpressArchive}`, 'tar');
    const core = path.join(unpacked, 'wordpress');
    if (!fs.existsSync(path.join(core, 'wp-settings.php'))) {
      throw new RunError(`${o.wordpressArchive} holds no wordpress/wp-settings.php: not a WordPress core archive`);
    }
    fs.renameSync(core, tmp);
    const plugins = path.join(tmp, 'wp-content', 'plugins');
    fs.mkdirSync(plugins, { recursive: true });
    const unzipArgs = ['-q', '-o', o.woocommerceArchive, '-d', plugins];
    await tool('unzip', unzipArgs, `unpacking ${o.woocommerceArchive}`, 'unzip');
    const pluginDir = path.join(plugins, 'woocommerce');
    if (!fs.existsSync(path.join(pluginDir, 'woocommerce.php'))) {
      throw new RunError(`${o.woocommerceArchive} holds no woocommerce/woocommerce.php: not the WooCommerce archive`);
    }
    const classes = checkClassMap(pluginDir);
    if (classes.fixed.length) {
      o.log?.(
        `woocommerce: class map names ${classes.fixed.join(', ')} in another case than shipped; copied to that name`,
      );
    }
    if (classes.missing.length) {
      o.log?.(
        `woocommerce: class map lists ${classes.missing.length} file(s) the plugin lacks, e.g. ${classes.missing[0]}`,
      );
    }
    fs.writeFileSync(path.join(tmp, SHOP_MARKER), JSON.stringify(o.marker) + '\n');
    fs.rmSync(docroot, { recursive: true, force: true });
    fs.renameSync(tmp, docroot);
    return classes;
  } finally {
    for (const d of [tmp, unpacked]) fs.rmSync(d, { recursive: true, force: true });
  }
}
