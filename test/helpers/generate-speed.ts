/** Helpers shared by the generate-speed tests (issue 13): a small hand-written IR and an output tree reader. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { emptyIr, type Ir } from "../../generator/ir.ts";

const prov = { source: "test", table: "Table 6-1", row: 1 };
const PATIENT_NAME = {
  tag: "00100010",
  name: "Patient’s Name",
  keyword: "PatientName",
  vr: ["PN"],
  vm: "1",
  retired: false,
  table: "data",
  prov,
};
const PATIENT_ID = {
  tag: "00100020",
  name: "Patient ID",
  keyword: "PatientID",
  vr: ["LO"],
  vm: "1",
  retired: false,
  table: "data",
  prov: { ...prov, row: 2 },
};

/**
 * A small IR (hand-written facts): a non-ASCII name, every family the emit worker reads (an empty
 * IOD family) and two it does not; `withPatientId` adds a second data element.
 */
export function smallIr(withPatientId = false): Ir {
  return {
    ...emptyIr(),
    sources: [
      {
        id: "test",
        part: "PS3.6",
        edition: "2013",
        format: "docbook",
        file: "part06.xml",
        sha256: "ab".repeat(32),
        bytes: 1,
      },
    ],
    dataElements: withPatientId ? [PATIENT_NAME, PATIENT_ID] : [PATIENT_NAME],
    uids: [
      {
        uid: "1.2.840.10008.1.1",
        name: "Verification SOP Class",
        keyword: "Verification",
        type: "SOP Class",
        retired: false,
        prov,
      },
    ],
    iods: { iods: [], modules: [], sopClasses: [] },
    privateDictionaries: { elements: [] },
  } as unknown as Ir;
}

/** Every file under `dir` by its relative path, except the write stage's manifest. */
export function outputTree(
  dir: string,
  base = dir,
  out = new Map<string, Buffer>(),
): Map<string, Buffer> {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) outputTree(p, base, out);
    else if (n !== ".dictgen-manifest.json")
      out.set(relative(base, p), readFileSync(p));
  }
  return out;
}
