// The one pin of k6 that the installer (scripts/install/k6.mjs), the product (runners/k6-binary.ts) and
// the AWS runner fleet read. tools/k6/go.mod requires the same version for the Go build (a test checks).
// Plain JS with no imports: it runs before npm dependencies exist.

export const K6_VERSION = 'v2.2.0';

/** Official release archives, by `${process.platform}-${process.arch}`, with their published SHA-256. */
export const K6_RELEASES = {
  // From k6-v2.2.0-checksums.txt of the GitHub release (read 2026-12-01 in three public projects that pin it).
  'linux-x64': {
    archive: 'k6-v2.2.0-linux-amd64.tar.gz',
    member: 'k6-v2.2.0-linux-amd64/k6',
    sha256: 'b5a8003c86f35f5cd5ceef1490312c48e587696c94d998cefc6d7b3b4cb1597d',
  },
};

/** Where the release archives are; REHEARSE_K6_DOWNLOAD_BASE points elsewhere (a mirror, a test server). */
export const K6_DOWNLOAD_BASE = `https://github.com/grafana/k6/releases/download/${K6_VERSION}`;
