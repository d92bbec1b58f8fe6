// Types of readme-lib.mjs (imported by the TypeScript tests).
export declare function exampleFile(packageDir: string): string | undefined;
export declare function regions(source: string): Map<string, string>;
export declare function markedBlocks(markdown: string): { region: string; code: string }[];
export declare function expectedOutput(source: string): string[];
export declare function readmeOutput(file: string | URL): Promise<{ printed: string[]; expected: string[] }>;
export declare function outputMismatch(expected: readonly string[], stdout: string): string | undefined;
export declare function syncedReadme(markdown: string, source: string, file?: string): string;
export declare function read(file: string): string;
