/**
 * Conditions that name a fact a dataset does not hold (how the data was acquired, what an
 * application intends, how a coding scheme evolved, what other SOP Instances contain). The grammar
 * reads each such phrase into `{ op: 'depends-on', fact }` so the AST says what the sentence says;
 * the validator never evaluates it and reports "condition not evaluated: depends on <fact>".
 *
 * Each entry: a fact id (kebab-case, our words) and the phrasings the standard uses for it, matched
 * as one whole atom of the condition (anchored at the start; it must end at a word boundary the
 * parser can continue from: end, "and", "or", a comma).
 */

/** Fact id → phrasings (regular expressions without anchors; case-insensitive). */
export const OUTSIDE_FACT_PHRASES: [fact: string, phrasings: string[]][] = [
  // PS3.3 §8.2: Coding Scheme Version is needed only where a scheme was revised incompatibly
  // under the same designator, which neither the dataset nor PS3.16 Table 8-1 records.
  ['coding-scheme-designator-ambiguous', ['(?:the value of Coding Scheme Designator \\(0008,0102\\) )?is not sufficient to identify the Code Value \\(0008,0100\\)(?: or Long Code Value \\(0008,0119\\))?(?: or URN Code Value \\(0008,0120\\))? unambiguously']],
  // Enhanced / legacy converted multi-frame instances: the attribute's state in the source instances.
  ['present-and-consistent-in-contributing-instances', ['present and (?:consistent|have an equal value) in the contributing SOP Instances', 'the values are present and consistent in the contributing SOP Instances']],
  ['referenced-instance-is-multi-frame', ['the Referenced SOP Instance is a multi-frame image']],
  ['referenced-instance-is-segmentation', ['the Referenced SOP Instance is a Segmentation(?: or Surface Segmentation)?']],
  ['reference-not-to-all-frames', ['the reference does not apply to all frames']],
  ['reference-not-to-all-segments', ['the reference does not apply to all segments']],
  ['created-by-frame-level-retrieve', ['the SOP Instance was created in response to a Frame-Level retrieve request']],
  ['performed-procedure-step-involved', ['a Performed Procedure Step SOP Class was involved in the creation of this Series']],
  ['numeric-value-precision-insufficient', ['Numeric Value \\(0040,A30A\\) has insufficient precision to represent (?:the|a rational) value as a string']],
  ['derived-from-another-instance', ['the (?:image or frame|image|surface) has been derived from another SOP Instance', 'derived from one or more DICOM Instances']],
  ['planned-on-another-image', ['the image or frame has been planned on another image or frame']],
  ['time-synchronization-applied', ['time synchronization was applied']],
  ['system-time-synchronized-externally', ['system time is synchronized to an external reference']],
  ['cardiac-synchronization-applied', ['cardiac synchronization (?:was|is) (?:applied|used)(?: for image acquisition)?']],
  ['respiratory-synchronization-applied', ['respiratory synchronization (?:was|is) (?:applied|used)(?: for image acquisition)?']],
  ['bulk-motion-synchronization-applied', ['bulk motion synchronization was applied']],
  ['contrast-applied', ['contrast(?: media)? (?:was|were) (?:applied|used|administered)(?: in this image)?']],
  ['contrast-usage-registered', ['the system is able to register contrast usage']],
  ['imaging-subject-is-specimen', ['(?:the )?Imaging Subject is a specimen']],
  ['image-calibrated', ['the image has been calibrated']],
  ['procedure-scheduled', ['procedure was scheduled']],
  ['lossy-compression-performed', ['Lossy Compression has been performed on the Image']],
  ['patient-is-animal', ['(?:the )?patient is an animal']],
  ['annotation-present', ['(?:graphic )?annotation is present']],
  ['graphic-annotations-applied', ['Graphic Annotations are to be applied(?: to referenced image(?:\\(s\\))?)?']],
  ['overlays-applied', ['Overlays? (?:is|are) to be applied to referenced image(?:\\(s\\))?']],
  ['display-shutter-applied', ['a Display Shutter is to be applied to referenced image(?:\\(s\\))?']],
  ['spatial-transformation-applied', ['rotation(?:, flipping or magnification| or flipping) are to be applied(?: to referenced image(?:\\(s\\))?)?']],
  ['voi-lut-applied', ['a VOI LUT is to be applied to referenced image(?:\\(s\\))?']],
  ['modality-lut-applied', ['a Modality LUT is to be applied to referenced image(?:\\(s\\))?']],
];

/** The phrasings compiled once: each anchored, ending where the parser can go on. */
export const OUTSIDE_FACTS: { fact: string; re: RegExp }[] = OUTSIDE_FACT_PHRASES.flatMap(([fact, phrasings]) =>
  phrasings.map((p) => ({ fact, re: new RegExp(`^(?:${p})(?=$|[\\s,;.])`, 'i') })),
);
