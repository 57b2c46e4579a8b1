import { MigrationInterface, QueryRunner } from 'typeorm';

/** Early help in the caseload's due items and in the child's chronology (views case_due_item and child_event). */
export class EarlyHelpDueItemsAndChronology1764403600000 implements MigrationInterface {
  name = 'EarlyHelpDueItemsAndChronology1764403600000';

  public async up(_q: QueryRunner): Promise<void> {
    // TODO(helper): redefine case_due_item and child_event with the early help branches.
  }

  public async down(_q: QueryRunner): Promise<void> {
    // TODO(helper)
  }
}
