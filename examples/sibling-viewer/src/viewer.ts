// Consumer code of the sibling package: compiles only against the selected part of the dictionary.
import { Tag, transferSyntaxInfo } from './generated/index.js';
import type { CTImage } from './generated/iods/ct-image.js';

export function describe(ct: CTImage): string {
  const ts = transferSyntaxInfo('1.2.840.10008.1.2.1');
  return `${String(ct.Modality)} ${ct.ImageType.join('\\')} tag=${Tag.PatientName.toString(16)} explicit=${String(ts?.explicitVr)}`;
}
