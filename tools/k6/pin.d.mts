export declare const K6_VERSION: string;
export declare const K6_RELEASES: Record<string, { archive: string; member: string; sha256: string }>;
export declare const K6_DOWNLOAD_BASE: string;
