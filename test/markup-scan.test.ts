/**
 * sources/common/markup-scan.ts: the pre-scan's token rules on hand-written snippets (the scanner is
 * hand-written with indexOf; these pin the cases a regex tokenizer handled implicitly).
 */
import { describe, expect, it } from 'vitest';
import { scanMarkup } from '../sources/common/markup-scan.ts';

describe('scanMarkup', () => {
  it('counts nesting, self-closing tags and HTML void elements', () => {
    expect(scanMarkup('<a><b><c/></b></a>', 'xml')).toEqual({ complete: true });
    expect(scanMarkup('<a><b><c/></b></a>', 'xml', 2)).toEqual({ complete: true });
    expect(scanMarkup('<a>\n<b>\n<c></c></b></a>', 'xml', 2)).toEqual({ tooDeepAtLine: 3, complete: false });
    expect(scanMarkup('<html><body><br><img src="x"><p>t</p></body></html>', 'html', 3)).toEqual({ complete: true });
    expect(scanMarkup('<a><b></a>', 'xml')).toEqual({ complete: false });
  });

  it('skips comments, CDATA, declarations and text that only looks like a tag', () => {
    expect(scanMarkup('<?xml version="1.0"?><!DOCTYPE x><a><!-- <b> --><![CDATA[<c>]]>1 < 2 <3</a>', 'xml')).toEqual({ complete: true });
    // A comment or CDATA section that never ends runs to the end of the text.
    expect(scanMarkup('<a></a><!-- <b>', 'xml')).toEqual({ complete: true });
  });

  it('reads quoted attribute values whole, ">" included', () => {
    expect(scanMarkup('<a title="x > y" alt=\'/\'><b k="/"></b></a>', 'xml')).toEqual({ complete: true });
    expect(scanMarkup('<a href="x/"></a>', 'xml')).toEqual({ complete: true });
  });

  it('names a document cut inside a tag or before its closing element, with the last table', () => {
    expect(scanMarkup('<book><table xml:id="table_6-1"><tr', 'xml')).toEqual({ complete: false, lastTableId: 'table_6-1' });
    expect(scanMarkup('<book><table xml:id="table_A-1" a="unterminated>', 'xml')).toEqual({ complete: false, lastTableId: 'table_A-1' });
    expect(scanMarkup('<book><table xml:id="table_7-1"></table>', 'xml')).toEqual({ complete: false, lastTableId: 'table_7-1' });
    expect(scanMarkup('<html><body><p>t</p></body>', 'html')).toEqual({ complete: false });
  });
});
