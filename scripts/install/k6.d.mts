export declare class DownloadRefused extends Error {}
export declare function downloadK6(
  dest: string,
  opts?: {
    platform?: string;
    base?: string;
    timeoutMs?: number;
    releases?: Record<string, { archive: string; member: string; sha256: string }>;
  },
): Promise<string>;
export declare function ensureK6(): Promise<string>;
