/** The shape of the generated dictionary.ts, for typing dynamic imports of emitted code in tests. */
export interface DataElementEntryShape {
  tag: number;
  tagString: string;
  keyword: string;
  name: string;
  vr: readonly string[];
  vm: string;
  retired: boolean;
  repeating: boolean;
  mask: number;
  table: string;
  vrSeeNote: boolean;
  usage?: 'DICOS' | 'DICONDE';
}
export declare function lookupTag(tag: number | string): DataElementEntryShape | undefined;
export declare function lookupKeyword(keyword: string): DataElementEntryShape | undefined;
export declare function dataElements(): DataElementEntryShape[];
