// Types of example-output.mjs (imported by the TypeScript tests).
export declare function commentedOutput(source: string): string[];
export declare function printedMismatch(expected: readonly string[], stdout: string): string | undefined;
export declare function runProgram(
  file: string,
  timeoutMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }>;
export declare function checkPrinted(file: string): Promise<string | undefined>;
export declare function commentedReturns(source: string): Map<string, string>;
export declare function evaluateComment(text: string): unknown;
