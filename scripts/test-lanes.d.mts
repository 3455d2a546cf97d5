export declare const LANE_MARK: RegExp;
export declare function laneOf(text: string): 'beside' | 'alone' | 'replica';
export declare function batchSource(files: string[], rootUrl: string): string;
export interface Lane {
  files: string[];
  args: string[];
}
export declare function testPhases(o: {
  unit: string[];
  integration: string[];
  parallel: number;
  read: (file: string) => string;
  rootUrl: string;
}): Lane[][];
