import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { fragment } from 'xmlbuilder2';
import { version } from '../../../package.json';
import type { CensusChild, CensusDetails, CensusPeriod } from './census.model';

type XMLBuilder = ReturnType<typeof fragment>;

export interface CensusHeader {
  period: CensusPeriod;
  /** The LA's 3-digit (old) LA code (<LEA>, N00216). */
  laCode: string;
  /** <SerialNo> (at least 3 digits): Haven uses the export's audit row id, so a file traces to its export. */
  serialNo: number;
  generatedAt: Date;
}

export interface CensusXmlTotals {
  children: number;
  details: number;
  bytes: number;
}

/** xs:dateTime in local (Europe/London) time, as the DfE sample message has it. */
function londonDateTime(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** An element with text, or nothing when the value is absent (the rules report missing items). */
function item(parent: XMLBuilder, name: string, value: string | number | boolean | null | undefined) {
  if (value !== null && value !== undefined) parent.ele(name).txt(String(value));
}

function list(parent: XMLBuilder, group: string, name: string, values: string[]) {
  if (values.length === 0) return;
  const g = parent.ele(group);
  for (const v of values) item(g, name, v);
}

/** <CINdetails> in the element order of the 2025-26 specification (cin_census_code_tables.md §1). */
function writeDetails(child: XMLBuilder, d: CensusDetails) {
  const x = child.ele('CINdetails');
  item(x, 'CINreferralDate', d.referralDate);
  item(x, 'ReferralSource', d.referralSource);
  item(x, 'PrimaryNeedCode', d.primaryNeed);
  item(x, 'CINclosureDate', d.closureDate);
  item(x, 'ReasonForClosure', d.closureReason);
  item(x, 'DateOfInitialCPC', d.initialCpcDate);
  for (const a of d.assessments) {
    const e = x.ele('Assessments');
    item(e, 'AssessmentActualStartDate', a.startDate);
    item(e, 'AssessmentAuthorisationDate', a.authorisationDate);
    list(e, 'FactorsIdentifiedAtAssessment', 'AssessmentFactors', a.factors);
  }
  for (const p of d.cinPlans) {
    const e = x.ele('CINPlanDates');
    item(e, 'CINPlanStartDate', p.startDate);
    item(e, 'CINPlanEndDate', p.endDate);
  }
  for (const s of d.section47s) {
    const e = x.ele('Section47');
    item(e, 'S47ActualStartDate', s.startDate);
    item(e, 'InitialCPCtarget', s.icpcTarget);
    item(e, 'DateOfInitialCPC', s.icpcDate);
    item(e, 'ICPCnotRequired', s.icpcNotRequired);
  }
  item(x, 'ReferralNFA', d.referralNfa);
  for (const p of d.cpPlans) {
    const e = x.ele('ChildProtectionPlans');
    item(e, 'CPPstartDate', p.startDate);
    item(e, 'CPPendDate', p.endDate);
    item(e, 'InitialCategoryOfAbuse', p.initialCategory);
    item(e, 'LatestCategoryOfAbuse', p.latestCategory);
    item(e, 'NumberOfPreviousCPP', p.numberOfPreviousCpp);
    list(e, 'Reviews', 'CPPreviewDate', p.reviewDates);
  }
}

/** One <Child>, serialised at its depth in the message (Message > Children > Child). */
function childXml(c: CensusChild): string {
  const x = fragment().ele('Child');
  const ids = x.ele('ChildIdentifiers');
  item(ids, 'LAchildID', c.laChildId);
  item(ids, 'UPN', c.upn);
  item(ids, 'FormerUPN', c.formerUpn);
  item(ids, 'UPNunknown', c.upnUnknown);
  item(ids, 'PersonBirthDate', c.birthDate);
  item(ids, 'ExpectedPersonBirthDate', c.expectedBirthDate);
  // <Sex> (N00783, M/F/U) replaced <GenderCurrent> from 2024-25.
  item(ids, 'Sex', c.sex);
  item(ids, 'PersonDeathDate', c.deathDate);
  const chars = x.ele('ChildCharacteristics');
  item(chars, 'Ethnicity', c.ethnicity);
  list(chars, 'Disabilities', 'Disability', c.disabilities);
  for (const d of c.details) writeDetails(x, d);
  return x.end({ prettyPrint: true, offset: 2 });
}

function headerXml(h: CensusHeader): string {
  const x = fragment().ele('Header');
  const collection = x.ele('CollectionDetails');
  item(collection, 'Collection', 'CIN');
  item(collection, 'Year', h.period.year);
  item(collection, 'ReferenceDate', h.period.referenceDate);
  const source = x.ele('Source');
  item(source, 'SourceLevel', 'L');
  item(source, 'LEA', h.laCode);
  item(source, 'SoftwareCode', 'Haven');
  item(source, 'Release', version);
  item(source, 'SerialNo', String(h.serialNo).padStart(3, '0'));
  item(source, 'DateTime', londonDateTime(h.generatedAt));
  return x.end({ prettyPrint: true, offset: 1 });
}

/** Writes and waits for the stream to drain; fails if it closes first (a download abandoned half way). */
async function writeOut(out: Writable, text: string): Promise<void> {
  const closed = () => new Error('the output stream closed before the census was written');
  if (out.destroyed) throw closed();
  if (out.write(text)) return;
  const stop = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: stop.signal }),
      once(out, 'close', { signal: stop.signal }).then(() => {
        throw closed();
      }),
    ]);
  } finally {
    stop.abort();
  }
}

/**
 * Writes the census message to `out` as the batches arrive: each child is built with xmlbuilder2 and serialised, and
 * each batch is written (waiting for the stream to drain) before the next is loaded, so neither the document nor the
 * return is ever held whole. (xmlbuilder2's callback builder streams element by element but cost five times as much on
 * the council seed: 6.4 s against 1.2 s.) `onBatch` sees each batch after it is written. Does not end `out`.
 */
export async function writeCensusXml(
  header: CensusHeader,
  batches: AsyncIterable<CensusChild[]>,
  out: Writable,
  onBatch?: (children: CensusChild[]) => void,
): Promise<CensusXmlTotals> {
  const totals: CensusXmlTotals = { children: 0, details: 0, bytes: 0 };
  const write = async (text: string) => {
    totals.bytes += Buffer.byteLength(text);
    await writeOut(out, text);
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n${headerXml(header)}\n  <Children>\n`);
  for await (const batch of batches) {
    let text = '';
    for (const c of batch) {
      text += `${childXml(c)}\n`;
      totals.details += c.details.length;
    }
    totals.children += batch.length;
    await write(text);
    onBatch?.(batch);
  }
  await write('  </Children>\n</Message>\n');
  return totals;
}
