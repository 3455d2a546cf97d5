export declare const POLICY_RC_D: string;
export declare const FORBIDDEN: string[];
export declare function packagesFor(groups: string[]): string[];
export declare function dpkgAvailable(): boolean;
export declare function installedPackages(): Set<string>;
export declare function missingPackages(names: string[]): string[];
export declare function privilege(): string[] | null;
export declare function ensureDebianPackages(groups: string[]): string[];
