import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../shared/graphql/scalars';

export enum AnnexAList {
  LIST_1_CONTACTS = 'LIST_1_CONTACTS',
  LIST_2_EARLY_HELP = 'LIST_2_EARLY_HELP',
  LIST_3_REFERRALS = 'LIST_3_REFERRALS',
  LIST_4_ASSESSMENTS = 'LIST_4_ASSESSMENTS',
  LIST_5_SECTION47 = 'LIST_5_SECTION47',
  LIST_6_CHILDREN_IN_NEED = 'LIST_6_CHILDREN_IN_NEED',
  LIST_7_CHILD_PROTECTION = 'LIST_7_CHILD_PROTECTION',
}
registerEnumType(AnnexAList, { name: 'AnnexAList', description: 'Ofsted ILACS Annex A child-level lists 1 to 7' });

@InputType()
export class AnnexAInput {
  @Field(() => AnnexAList)
  list: AnnexAList;

  @Field(() => LocalDate, { description: 'First day of the window (Ofsted: six months before the inspection).' })
  from: string;

  @Field(() => LocalDate, { description: 'Last day of the window (the inspection date); at most two years after `from`.' })
  to: string;
}

@ObjectType('AnnexAExport', { simpleResolvers: true, description: 'An Annex A list for a window: rows as text, and as CSV. Audited.' })
export class AnnexAExportType {
  @Field(() => AnnexAList)
  list: AnnexAList;

  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;

  @Field(() => [String], { description: "Ofsted's column headings, in Ofsted's order." })
  columns: string[];

  @Field(() => [[String]], {
    nullable: 'items',
    description: 'One row per record, cells in column order as text (dates DD/MM/YYYY, codes with their Annex A labels); null is blank.',
  })
  rows: (string | null)[][];

  @Field(() => Int)
  rowCount: number;

  @Field({ description: 'The header and the rows as CSV (RFC 4180, CRLF); cells that a spreadsheet would run as formulas are prefixed with \'.' })
  csv: string;
}
