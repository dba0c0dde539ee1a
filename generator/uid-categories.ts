/**
 * Which generated namespace (and module) each UID type goes to. Shared by the validator (keywords
 * must be unique per namespace, or the module would export one name twice) and the `uids` emitter.
 * Types that are variants of one concept share a namespace: both kinds of frame of reference go to
 * `FrameOfReference`; well-known printers and print queues are well-known SOP instances.
 */
import type { UidType } from './ir.ts';

export interface UidCategory {
  /** Namespace exported from the package entry (`SopClass`). */
  namespace: string;
  /** Module path relative to the package root, without extension (`uids/sop-class`). */
  module: string;
  /** What it holds, for headers and JSDoc. */
  label: string;
}

const CATEGORIES: Record<UidType, UidCategory> = {
  'SOP Class': { namespace: 'SopClass', module: 'uids/sop-class', label: 'SOP classes' },
  'Meta SOP Class': { namespace: 'MetaSopClass', module: 'uids/meta-sop-class', label: 'meta SOP classes' },
  'Transfer Syntax': { namespace: 'TransferSyntax', module: 'uids/transfer-syntax', label: 'transfer syntaxes' },
  'Private Transfer Syntax': { namespace: 'TransferSyntax', module: 'uids/transfer-syntax', label: 'transfer syntaxes' },
  'Well-known SOP Instance': { namespace: 'WellKnownSopInstance', module: 'uids/well-known-sop-instance', label: 'well-known SOP instances' },
  'Well-known Print Queue': { namespace: 'WellKnownSopInstance', module: 'uids/well-known-sop-instance', label: 'well-known SOP instances' },
  'Well-known Printer': { namespace: 'WellKnownSopInstance', module: 'uids/well-known-sop-instance', label: 'well-known SOP instances' },
  'Service Class': { namespace: 'ServiceClass', module: 'uids/service-class', label: 'service classes' },
  'Well-known Frame of Reference': { namespace: 'FrameOfReference', module: 'uids/frame-of-reference', label: 'frames of reference' },
  'Synchronization Frame of Reference': { namespace: 'FrameOfReference', module: 'uids/frame-of-reference', label: 'frames of reference' },
  'Coding Scheme': { namespace: 'CodingScheme', module: 'uids/coding-scheme', label: 'coding schemes' },
  'Application Context Name': { namespace: 'ApplicationContextName', module: 'uids/application-context-name', label: 'application context names' },
  'Application Hosting Model': { namespace: 'ApplicationHostingModel', module: 'uids/application-hosting-model', label: 'application hosting models' },
  'LDAP OID': { namespace: 'LdapOid', module: 'uids/ldap-oid', label: 'LDAP OIDs' },
  'Mapping Resource': { namespace: 'MappingResource', module: 'uids/mapping-resource', label: 'mapping resources' },
  'Context Group Name': { namespace: 'ContextGroupUid', module: 'uids/context-group', label: 'context group UIDs (PS3.6 Table A-3)' },
  'Query/Retrieve View': { namespace: 'QueryRetrieveView', module: 'uids/query-retrieve-view', label: 'query/retrieve views' },
  Other: { namespace: 'OtherUid', module: 'uids/other', label: 'UIDs of other types' },
};

export function uidCategory(type: UidType): UidCategory {
  return CATEGORIES[type];
}

/** Every distinct category, in a fixed order (the order of the table above). */
export function allUidCategories(): UidCategory[] {
  const seen = new Map<string, UidCategory>();
  for (const c of Object.values(CATEGORIES)) if (!seen.has(c.namespace)) seen.set(c.namespace, c);
  return [...seen.values()];
}
