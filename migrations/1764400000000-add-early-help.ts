import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Early help and the commissioned provider: provider contracts and data sharing agreements, the early help episode
 * (request, consent, commissioning, assessment, team-around-the-family meetings, closure), concerns raised while
 * waiting, provider submissions' idempotency keys; step-up referrals and family plans linked to the episode.
 */
export class AddEarlyHelp1764400000000 implements MigrationInterface {
  name = 'AddEarlyHelp1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "provider_contract" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "provider_id" uuid NOT NULL, "service" text NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "capacity" integer NOT NULL, CONSTRAINT "CHK_ebf7e4f88f81898482466df115" CHECK (ends_on >= starts_on), CONSTRAINT "CHK_7ae9833f7125d3b0dfba7310b8" CHECK (capacity > 0), CONSTRAINT "PK_2a9c43feda30b8d38864b0d81d2" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_d07e1b72ad36d2d38baa7da0a1" ON "provider_contract"  ("provider_id", "starts_on") `);
    await q.query(`CREATE TABLE "data_sharing_agreement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "provider_id" uuid NOT NULL, "reference" text NOT NULL, "starts_on" date NOT NULL, "ends_on" date, "visible_fields" text array NOT NULL, "submissions" text array NOT NULL, CONSTRAINT "PK_4c1c1a4503471d4b770b990258f" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_465ca4fb973293698f6d318d5c" ON "data_sharing_agreement"  ("provider_id", "starts_on") `);
    await q.query(`CREATE TABLE "early_help_setting" ("id" integer NOT NULL, "retriage_after_days" integer NOT NULL DEFAULT '28', "assessment_due_working_days" integer NOT NULL DEFAULT '20', "meeting_every_weeks" integer NOT NULL DEFAULT '6', CONSTRAINT "CHK_cd4fc2e76fe1bf98af90dfa78f" CHECK (id = 1), CONSTRAINT "PK_03277bf21a207d926452bc57a2b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "early_help_episode" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "family_id" uuid, "primary_child_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'REQUESTED', "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "requested_on" date NOT NULL, "requester_name" text NOT NULL, "requester_role" text NOT NULL, "requester_agency" text, "reason" text NOT NULL, "needs" text array NOT NULL, "provider_id" uuid, "lead_practitioner_id" uuid, "work_started_on" date, "closed_on" date, "outcome" text, "closure_summary" text, "closure_progress" jsonb, "stepped_down_from_episode_id" uuid, "stepped_down_assessment_id" uuid, CONSTRAINT "PK_48ad9d51a846c14e98b3a39c695" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_e585a5876365c8954015ab1b7c" ON "early_help_episode"  ("stepped_down_from_episode_id") `);
    await q.query(`CREATE INDEX "IDX_6c6e5cd0d2f71df598d5e4a254" ON "early_help_episode"  ("lead_practitioner_id") WHERE status = 'IN_WORK'`);
    await q.query(`CREATE INDEX "IDX_06f8ad74f3fc6a03f4ff6e38d0" ON "early_help_episode"  ("provider_id") WHERE status <> 'CLOSED'`);
    await q.query(`CREATE INDEX "IDX_0ae624bd8ea9801f0352d1b97a" ON "early_help_episode"  ("primary_child_id") `);
    await q.query(`CREATE INDEX "IDX_15e8ae013468a66dd7e68352de" ON "early_help_episode"  ("family_id") `);
    await q.query(`CREATE INDEX "IDX_18e419f91dfee7b077afc1b00d" ON "early_help_episode"  ("requested_on", "id") WHERE status IN ('REQUESTED', 'OFFERED')`);
    await q.query(`CREATE TABLE "early_help_child" ("episode_id" uuid NOT NULL, "child_id" uuid NOT NULL, CONSTRAINT "PK_1b45701b2cb8f88789ae79dd215" PRIMARY KEY ("episode_id", "child_id"))`);
    await q.query(`CREATE INDEX "IDX_beb9374ade4458f39529a7fe2e" ON "early_help_child"  ("child_id") `);
    await q.query(`CREATE TABLE "early_help_consent" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "episode_id" uuid NOT NULL, "kind" text NOT NULL, "given_by" text NOT NULL, "relationship" text NOT NULL, "given_on" date NOT NULL, "scope" text NOT NULL, "withdrawn_on" date, "withdrawn_by" text, "withdrawal_reason" text, CONSTRAINT "PK_797ae8d1edd34e775ec2966a850" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_7594f061a399f303bf71ceb883" ON "early_help_consent"  ("episode_id") `);
    await q.query(`CREATE TABLE "early_help_referral" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "episode_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "contract_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'OFFERED', "offered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "commissioning_note" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decided_by_id" uuid, "decline_reason" text, "closed_on" date, CONSTRAINT "PK_56a7edd3538dd0b80a17748c831" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "early_help_referral_one_open" ON "early_help_referral"  ("episode_id") WHERE status IN ('OFFERED', 'ACCEPTED')`);
    await q.query(`CREATE INDEX "IDX_23eb8b92bce5fcd4c4e994f8c9" ON "early_help_referral"  ("provider_id", "status") `);
    await q.query(`CREATE INDEX "IDX_2f6f2b06664cbbcf35ba6b9d00" ON "early_help_referral"  ("episode_id") `);
    await q.query(`CREATE TABLE "early_help_concern" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "episode_id" uuid NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "safeguarding" boolean NOT NULL, "description" text NOT NULL, "needs_added" text array NOT NULL DEFAULT '{}', CONSTRAINT "PK_35e557fe854d9f2db3741720bd5" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_34fbe52befe65cfbcd80da489c" ON "early_help_concern"  ("episode_id") `);
    await q.query(`CREATE TABLE "early_help_assessment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "episode_id" uuid NOT NULL, "reason" text NOT NULL, "needs" jsonb NOT NULL, "strengths" text NOT NULL, "lived_experience" text NOT NULL, "child_voice" text NOT NULL, "analysis" text NOT NULL, "started_on" date NOT NULL, "completed_on" date, "completed_by_provider_id" uuid, CONSTRAINT "PK_3313cc57700254b5e686302c955" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_b430a3991ad67747e1440d80cd" ON "early_help_assessment"  ("episode_id") `);
    await q.query(`CREATE TABLE "team_around_family_meeting" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "episode_id" uuid NOT NULL, "held_on" date NOT NULL, "attendees" jsonb NOT NULL, "family_present" boolean NOT NULL, "decisions" text NOT NULL, "next_meeting_on" date, CONSTRAINT "PK_f163c1696d6394af8ca126c7999" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_8ece29050580d6a19710433bc8" ON "team_around_family_meeting"  ("episode_id", "held_on") `);
    await q.query(`CREATE TABLE "idempotency_key" ("scope" text NOT NULL, "key" text NOT NULL, "operation" text NOT NULL, "request_hash" text NOT NULL, "result_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2738e797ef2c60d9a902bad976a" PRIMARY KEY ("scope", "key"))`);
    await q.query(`ALTER TABLE "account" ADD "system" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "referral" ADD "early_help_episode_id" uuid`);
    await q.query(`ALTER TABLE "plan" ADD "early_help_episode_id" uuid`);
    await q.query(`CREATE INDEX "IDX_f47f99e2772838f2a9526318da" ON "referral"  ("early_help_episode_id") `);
    await q.query(`CREATE INDEX "IDX_95a1d283f3bad53544f2596bcf" ON "plan"  ("early_help_episode_id") `);
    await q.query(`ALTER TABLE "provider_contract" ADD CONSTRAINT "FK_91827ab70c5dd918c339d92dd1c" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "data_sharing_agreement" ADD CONSTRAINT "FK_ea602514eacf05fdd5e1fb8ffd1" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_15e8ae013468a66dd7e68352de4" FOREIGN KEY ("family_id") REFERENCES "family"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_0ae624bd8ea9801f0352d1b97aa" FOREIGN KEY ("primary_child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_5a03f156f40777c3b886a6ba836" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_05f94d7a337b4055cdb9a25ce7b" FOREIGN KEY ("lead_practitioner_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_e585a5876365c8954015ab1b7ca" FOREIGN KEY ("stepped_down_from_episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_episode" ADD CONSTRAINT "FK_eca17bd2f9b19e47ec75ab8ae9e" FOREIGN KEY ("stepped_down_assessment_id") REFERENCES "assessment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_child" ADD CONSTRAINT "FK_a5fcbfe8d86acb902cb85db53ae" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_child" ADD CONSTRAINT "FK_beb9374ade4458f39529a7fe2e3" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_consent" ADD CONSTRAINT "FK_7594f061a399f303bf71ceb883a" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_referral" ADD CONSTRAINT "FK_2f6f2b06664cbbcf35ba6b9d006" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_referral" ADD CONSTRAINT "FK_756537989211a281aaedd540662" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_referral" ADD CONSTRAINT "FK_e85d96f0ee545d8d00f0f4ab9ea" FOREIGN KEY ("contract_id") REFERENCES "provider_contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_referral" ADD CONSTRAINT "FK_a341a1a87fe058d0b8d3a34c0dd" FOREIGN KEY ("decided_by_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_concern" ADD CONSTRAINT "FK_34fbe52befe65cfbcd80da489c4" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_assessment" ADD CONSTRAINT "FK_b430a3991ad67747e1440d80cd0" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "early_help_assessment" ADD CONSTRAINT "FK_90987eadac5100d0e3298854682" FOREIGN KEY ("completed_by_provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "team_around_family_meeting" ADD CONSTRAINT "FK_2430afdfb6153b306a0115cd31a" FOREIGN KEY ("episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "referral" ADD CONSTRAINT "FK_f47f99e2772838f2a9526318da7" FOREIGN KEY ("early_help_episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan" ADD CONSTRAINT "FK_95a1d283f3bad53544f2596bcf4" FOREIGN KEY ("early_help_episode_id") REFERENCES "early_help_episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`INSERT INTO early_help_setting (id) VALUES (1)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "plan" DROP CONSTRAINT "FK_95a1d283f3bad53544f2596bcf4"`);
    await q.query(`ALTER TABLE "referral" DROP CONSTRAINT "FK_f47f99e2772838f2a9526318da7"`);
    await q.query(`ALTER TABLE "team_around_family_meeting" DROP CONSTRAINT "FK_2430afdfb6153b306a0115cd31a"`);
    await q.query(`ALTER TABLE "early_help_assessment" DROP CONSTRAINT "FK_90987eadac5100d0e3298854682"`);
    await q.query(`ALTER TABLE "early_help_assessment" DROP CONSTRAINT "FK_b430a3991ad67747e1440d80cd0"`);
    await q.query(`ALTER TABLE "early_help_concern" DROP CONSTRAINT "FK_34fbe52befe65cfbcd80da489c4"`);
    await q.query(`ALTER TABLE "early_help_referral" DROP CONSTRAINT "FK_a341a1a87fe058d0b8d3a34c0dd"`);
    await q.query(`ALTER TABLE "early_help_referral" DROP CONSTRAINT "FK_e85d96f0ee545d8d00f0f4ab9ea"`);
    await q.query(`ALTER TABLE "early_help_referral" DROP CONSTRAINT "FK_756537989211a281aaedd540662"`);
    await q.query(`ALTER TABLE "early_help_referral" DROP CONSTRAINT "FK_2f6f2b06664cbbcf35ba6b9d006"`);
    await q.query(`ALTER TABLE "early_help_consent" DROP CONSTRAINT "FK_7594f061a399f303bf71ceb883a"`);
    await q.query(`ALTER TABLE "early_help_child" DROP CONSTRAINT "FK_beb9374ade4458f39529a7fe2e3"`);
    await q.query(`ALTER TABLE "early_help_child" DROP CONSTRAINT "FK_a5fcbfe8d86acb902cb85db53ae"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_eca17bd2f9b19e47ec75ab8ae9e"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_e585a5876365c8954015ab1b7ca"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_05f94d7a337b4055cdb9a25ce7b"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_5a03f156f40777c3b886a6ba836"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_0ae624bd8ea9801f0352d1b97aa"`);
    await q.query(`ALTER TABLE "early_help_episode" DROP CONSTRAINT "FK_15e8ae013468a66dd7e68352de4"`);
    await q.query(`ALTER TABLE "data_sharing_agreement" DROP CONSTRAINT "FK_ea602514eacf05fdd5e1fb8ffd1"`);
    await q.query(`ALTER TABLE "provider_contract" DROP CONSTRAINT "FK_91827ab70c5dd918c339d92dd1c"`);
    await q.query(`DROP INDEX "IDX_95a1d283f3bad53544f2596bcf"`);
    await q.query(`DROP INDEX "IDX_f47f99e2772838f2a9526318da"`);
    await q.query(`ALTER TABLE "plan" DROP COLUMN "early_help_episode_id"`);
    await q.query(`ALTER TABLE "referral" DROP COLUMN "early_help_episode_id"`);
    await q.query(`ALTER TABLE "account" DROP COLUMN "system"`);
    await q.query(`DROP TABLE "idempotency_key"`);
    await q.query(`DROP INDEX "IDX_8ece29050580d6a19710433bc8"`);
    await q.query(`DROP TABLE "team_around_family_meeting"`);
    await q.query(`DROP INDEX "IDX_b430a3991ad67747e1440d80cd"`);
    await q.query(`DROP TABLE "early_help_assessment"`);
    await q.query(`DROP INDEX "IDX_34fbe52befe65cfbcd80da489c"`);
    await q.query(`DROP TABLE "early_help_concern"`);
    await q.query(`DROP INDEX "IDX_2f6f2b06664cbbcf35ba6b9d00"`);
    await q.query(`DROP INDEX "IDX_23eb8b92bce5fcd4c4e994f8c9"`);
    await q.query(`DROP INDEX "early_help_referral_one_open"`);
    await q.query(`DROP TABLE "early_help_referral"`);
    await q.query(`DROP INDEX "IDX_7594f061a399f303bf71ceb883"`);
    await q.query(`DROP TABLE "early_help_consent"`);
    await q.query(`DROP INDEX "IDX_beb9374ade4458f39529a7fe2e"`);
    await q.query(`DROP TABLE "early_help_child"`);
    await q.query(`DROP INDEX "IDX_18e419f91dfee7b077afc1b00d"`);
    await q.query(`DROP INDEX "IDX_15e8ae013468a66dd7e68352de"`);
    await q.query(`DROP INDEX "IDX_0ae624bd8ea9801f0352d1b97a"`);
    await q.query(`DROP INDEX "IDX_06f8ad74f3fc6a03f4ff6e38d0"`);
    await q.query(`DROP INDEX "IDX_6c6e5cd0d2f71df598d5e4a254"`);
    await q.query(`DROP INDEX "IDX_e585a5876365c8954015ab1b7c"`);
    await q.query(`DROP TABLE "early_help_episode"`);
    await q.query(`DROP TABLE "early_help_setting"`);
    await q.query(`DROP INDEX "IDX_465ca4fb973293698f6d318d5c"`);
    await q.query(`DROP TABLE "data_sharing_agreement"`);
    await q.query(`DROP INDEX "IDX_d07e1b72ad36d2d38baa7da0a1"`);
    await q.query(`DROP TABLE "provider_contract"`);
  }
}
