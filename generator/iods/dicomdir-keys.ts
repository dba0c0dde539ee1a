/**
 * DICOMDIR readiness (facts of PS3.3 Annex F.5): the Type 1 keys of the directory records a
 * File-set Creator builds for an instance, copied from the instance. An instance missing one (or
 * holding it empty) cannot be given a conformant record. Four-level records: PATIENT, STUDY and
 * SERIES above every composite instance (Tables F.5-1 to F.5-3), then the instance's own record,
 * chosen here by a module of its IOD. Type 1C keys (Study Instance UID, Verification DateTime,
 * Content Sequence) and Type 2 keys (the creator may write them empty) are not checked.
 *
 * ../shared has no copy of Annex F: the keys below were written by hand from the F.5 tables and
 * agree with dciodvfy's "needed to build DICOMDIR" warnings on the nine real files
 * (test/validate-datasets.test.ts). The run-time engine reads them as `IodRules.dicomdir`.
 */

export interface DirectoryKey {
  t: string;
  k: string;
}

/** One directory record type with its Type 1 keys. */
export interface DirectoryRecordData {
  /** Directory Record Type (0004,1430). */
  record: string;
  /** PS3.3 table of the record's keys. */
  table: string;
  keys: DirectoryKey[];
}

const INSTANCE_NUMBER = { t: '00200013', k: 'InstanceNumber' };
const CONTENT_DATE_TIME = [
  { t: '00080023', k: 'ContentDate' },
  { t: '00080033', k: 'ContentTime' },
];
const CONCEPT_NAME = { t: '0040A043', k: 'ConceptNameCodeSequence' };

/** PATIENT, STUDY and SERIES records (Tables F.5-1, F.5-2, F.5-3). */
export const FOUR_LEVEL_RECORDS: readonly DirectoryRecordData[] = [
  { record: 'PATIENT', table: 'F.5-1', keys: [{ t: '00100020', k: 'PatientID' }] },
  {
    record: 'STUDY',
    table: 'F.5-2',
    keys: [
      { t: '00080020', k: 'StudyDate' },
      { t: '00080030', k: 'StudyTime' },
      { t: '00200010', k: 'StudyID' },
    ],
  },
  {
    record: 'SERIES',
    table: 'F.5-3',
    keys: [
      { t: '00080060', k: 'Modality' },
      { t: '0020000E', k: 'SeriesInstanceUID' },
      { t: '00200011', k: 'SeriesNumber' },
    ],
  },
];

/**
 * The instance's record, by a module of its IOD: the first entry whose module the IOD has (with
 * that usage, and for those IODs, where given). Rendition Selection Document shares the Key Object
 * Document module, but its record type was not cross-checked: it is left out.
 */
export const INSTANCE_RECORDS: readonly { module: string; usage?: 'M'; iods?: string[]; record: DirectoryRecordData }[] = [
  { module: 'sr-document-general', record: { record: 'SR DOCUMENT', table: 'F.5-11', keys: [INSTANCE_NUMBER, { t: '0040A491', k: 'CompletionFlag' }, { t: '0040A493', k: 'VerificationFlag' }, ...CONTENT_DATE_TIME, CONCEPT_NAME] } },
  { module: 'key-object-document', iods: ['key-object-selection-document'], record: { record: 'KEY OBJECT DOC', table: 'F.5-12', keys: [INSTANCE_NUMBER, ...CONTENT_DATE_TIME, CONCEPT_NAME] } },
  { module: 'rt-dose', record: { record: 'RT DOSE', table: 'F.5-5', keys: [INSTANCE_NUMBER, { t: '3004000A', k: 'DoseSummationType' }] } },
  { module: 'structure-set', record: { record: 'RT STRUCTURE SET', table: 'F.5-6', keys: [INSTANCE_NUMBER, { t: '30060002', k: 'StructureSetLabel' }] } },
  { module: 'rt-general-plan', record: { record: 'RT PLAN', table: 'F.5-7', keys: [INSTANCE_NUMBER, { t: '300A0002', k: 'RTPlanLabel' }] } },
  { module: 'image-pixel', usage: 'M', record: { record: 'IMAGE', table: 'F.5-4', keys: [INSTANCE_NUMBER] } },
];

/**
 * The records of an IOD's instances: none for an IOD without a mandatory Patient module (not
 * filed under PATIENT); the four-level records, and the instance's own record where one of
 * `INSTANCE_RECORDS` applies (otherwise the engine says its keys were not checked).
 */
export function directoryRecords(iod: string, modules: { id: string; usage: 'M' | 'U' | 'C' }[]): DirectoryRecordData[] | undefined {
  if (!modules.some((m) => m.id === 'patient' && m.usage === 'M')) return undefined;
  const applies = (r: (typeof INSTANCE_RECORDS)[number]) => (!r.iods || r.iods.includes(iod)) && modules.some((m) => m.id === r.module && (!r.usage || m.usage === r.usage));
  const own = INSTANCE_RECORDS.find(applies);
  return [...FOUR_LEVEL_RECORDS, ...(own ? [own.record] : [])];
}
