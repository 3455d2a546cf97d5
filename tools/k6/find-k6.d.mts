export declare const localK6: string;
export declare function k6Version(bin: string): [number, number, number] | null;
export declare function fits(version: number[] | null, pinned?: string): boolean;
export declare function findK6(env?: NodeJS.ProcessEnv): string | null;
