// Types of example-output.mjs (imported by the TypeScript tests).
export declare function commentedOutput(source: string): string[];
export declare function printedMismatch(expected: readonly string[], stdout: string): string | undefined;
export declare function runProgram(
  file: string,
  timeoutMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }>;
export declare function programOutput(file: string | URL, timeoutMs?: number): Promise<string>;
export declare function checkPrinted(file: string): Promise<string | undefined>;
/** A `// → ` result comment: its function, the name it speaks of (undefined: the whole return value), its text and line. */
export interface ResultComment {
  fn: string;
  name: string | undefined;
  text: string;
  line: number;
}
export declare function resultComments(source: string): ResultComment[];
export declare function commentedReturns(source: string): Map<string, string>;
/** One result comment checked: what it speaks of, the value the call gave, the value the comment writes. */
export interface CommentedResult {
  fn: string;
  what: string;
  actual: unknown;
  expected: unknown;
}
export declare function commentedResults(
  file: string | URL,
  args?: Readonly<Record<string, readonly unknown[]>>,
): Promise<CommentedResult[]>;
export declare function commentedResultsInTempDir(file: string | URL, fns: readonly string[]): Promise<CommentedResult[]>;
export declare function evaluateComment(text: string): unknown;
