import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statutory casework: episodes of need (no overlap per child: btree_gist exclusion), assessments, strategy discussions,
 * section 47 enquiries, conferences, plans with outcomes, actions, reviews and revisions, visits, supervision and
 * management decisions; per-plan-type visit and review frequencies as data; per-worker supervision frequency; and
 * `haven_add_working_days(date, n)`, the working-day clock in SQL (the same rule as src/shared/clock/calendar.ts).
 * Generated from the entities, then reviewed; the function and settings are hand-written.
 */
export class AddStatutoryCasework1764309600000 implements MigrationInterface {
  name = 'AddStatutoryCasework1764309600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`CREATE TABLE "episode" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "referral_id" uuid NOT NULL, "start_date" date NOT NULL, "referral_source" character varying(2) NOT NULL, "primary_need_code" character varying(2) NOT NULL, "closure_date" date, "closure_reason" character varying(3), CONSTRAINT "episode_closure_after_start" CHECK ("closure_date" IS NULL OR "closure_date" >= "start_date"), CONSTRAINT "episode_closure_both_or_neither" CHECK (("closure_date" IS NULL) = ("closure_reason" IS NULL)), CONSTRAINT "episode_no_overlap" EXCLUDE USING gist ("child_id" WITH =, daterange("start_date", "closure_date", '[]') WITH &&), CONSTRAINT "PK_7258b95d6d2bf7f621845a0e143" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_fd2ef1505cbd467cdc87feaca7" ON "episode"  ("referral_id")`);
    await q.query(`CREATE INDEX "IDX_55fc037aa84b1feed25eaa49c2" ON "episode"  ("child_id", "start_date")`);
    await q.query(`CREATE TABLE "assessment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "episode_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'IN_PROGRESS', "start_date" date NOT NULL, "due_date" date NOT NULL, "completed_date" date, "authorised_date" date, "authorised_by_id" uuid, "factors" text array NOT NULL DEFAULT '{}', "risks" text, "strengths" text, "protective_factors" text, "childs_views" text, "analysis" text, "outcome" text, "late_reason" text, CONSTRAINT "PK_c511a7dc128256876b6b1719401" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_17c3083629c9842fb3c23cb540" ON "assessment"  ("due_date") WHERE status = 'IN_PROGRESS'`);
    await q.query(`CREATE INDEX "IDX_62a69da64f027887d9edf5df5c" ON "assessment"  ("episode_id")`);
    await q.query(`CREATE INDEX "IDX_bb7038aebbeb9df941e81ebc6f" ON "assessment"  ("child_id", "start_date")`);
    await q.query(`CREATE TABLE "plan" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "episode_id" uuid, "type" text NOT NULL, "status" text NOT NULL DEFAULT 'ACTIVE', "start_date" date NOT NULL, "end_date" date, "end_reason" text, "contingency" text NOT NULL, "family_summary" text NOT NULL, "next_review_due" date, "initial_category" character varying(3), "latest_category" character varying(3), CONSTRAINT "PK_54a2b686aed3b637654bf7ddbb3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_3d06c98ac38567da4e3964ad93" ON "plan"  ("next_review_due") WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX "IDX_32ee81303613faf3c148a2d7a3" ON "plan"  ("episode_id")`);
    await q.query(`CREATE INDEX "IDX_96355bb710ce095fcdbb0783f3" ON "plan"  ("child_id", "start_date")`);
    await q.query(`CREATE TABLE "plan_outcome" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "plan_id" uuid NOT NULL, "position" integer NOT NULL, "need_to_change" text NOT NULL, "measure" text NOT NULL, "by_when" date NOT NULL, "current" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_8d9270ae65a5be5204ee3508d6c" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_fd30394a181a77478e83bcaee9" ON "plan_outcome"  ("plan_id")`);
    await q.query(`CREATE TABLE "plan_action" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "plan_id" uuid NOT NULL, "outcome_id" uuid, "who" text NOT NULL, "what" text NOT NULL, "by_when" date NOT NULL, "status" text NOT NULL DEFAULT 'NOT_STARTED', "current" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_7fe1efec53657bd0385369ad6e6" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_285df8feb2922da120d9070a15" ON "plan_action"  ("plan_id")`);
    await q.query(`CREATE TABLE "plan_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "plan_id" uuid NOT NULL, "held_on" date NOT NULL, "progress" jsonb NOT NULL, "decision" text NOT NULL, "summary" text NOT NULL, "due_by" date, "reviewer_id" uuid NOT NULL, CONSTRAINT "PK_ffc8f8e5fadf93689577d0d7051" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_a5d1eb34db584155502fda4105" ON "plan_review"  ("plan_id", "held_on")`);
    await q.query(`CREATE TABLE "plan_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plan_id" uuid NOT NULL, "version" integer NOT NULL, "content" jsonb NOT NULL, "changed_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_588869e0bf5cfa9a4499461525b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_dce26174c909bf9688b3ce33c5" ON "plan_revision"  ("plan_id", "version")`);
    await q.query(`CREATE TABLE "plan_type_setting" ("plan_type" text NOT NULL, "visit_every_working_days" integer NOT NULL, "review_every_months" integer NOT NULL, CONSTRAINT "PK_5716a4796229dadf22b74f61df4" PRIMARY KEY ("plan_type"))`);
    await q.query(`CREATE TABLE "strategy_discussion" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "episode_id" uuid NOT NULL, "held_on" date NOT NULL, "participants" jsonb NOT NULL, "decision" text NOT NULL, "rationale" text NOT NULL, CONSTRAINT "PK_ffd070aa852f8f8dec31f3b3cf3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_77bf46a0c1f175c8167c20c3f3" ON "strategy_discussion"  ("episode_id")`);
    await q.query(`CREATE INDEX "IDX_706d7890ded00597e6828d28c5" ON "strategy_discussion"  ("child_id", "held_on")`);
    await q.query(`CREATE TABLE "section47" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "episode_id" uuid NOT NULL, "strategy_discussion_id" uuid NOT NULL, "start_date" date NOT NULL, "icpc_target_date" date NOT NULL, "status" text NOT NULL DEFAULT 'OPEN', "conference_not_required" boolean NOT NULL DEFAULT false, "not_required_reason" text, "icpc_date" date, "concluded_on" date, CONSTRAINT "PK_f4247c592a0a07cfd3bcd84ef0b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_18dae18b2051f8ab9a675590fa" ON "section47"  ("strategy_discussion_id")`);
    await q.query(`CREATE INDEX "IDX_feae518e28a0891b2443e45c66" ON "section47"  ("episode_id")`);
    await q.query(`CREATE INDEX "IDX_2d324791ac34675b49c78e7c4a" ON "section47"  ("child_id", "start_date")`);
    await q.query(`CREATE TABLE "child_protection_conference" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "episode_id" uuid NOT NULL, "kind" text NOT NULL, "section47_id" uuid, "plan_id" uuid, "held_on" date NOT NULL, "chair_id" uuid NOT NULL, "attendees" jsonb NOT NULL, "decision" text NOT NULL, "category" character varying(3), "rationale" text NOT NULL, "due_by" date, CONSTRAINT "PK_dcac4790cc5b570aa40353f4162" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_c2edab2675ee7f96280eb07644" ON "child_protection_conference"  ("section47_id")`);
    await q.query(`CREATE INDEX "IDX_a4d7a11193f25bea180189d8e4" ON "child_protection_conference"  ("plan_id")`);
    await q.query(`CREATE INDEX "IDX_0bdc3b8a8b524c6d926f254025" ON "child_protection_conference"  ("child_id", "held_on")`);
    await q.query(`CREATE TABLE "visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "plan_id" uuid, "visited_on" date NOT NULL, "type" text NOT NULL, "seen" boolean NOT NULL, "seen_alone" boolean NOT NULL, "present" text array NOT NULL DEFAULT '{}', "note" text NOT NULL, CONSTRAINT "PK_c9919ef5a07627657c535d8eb88" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_2e8e62610f0872d3d6cd578f01" ON "visit"  ("plan_id")`);
    await q.query(`CREATE INDEX "IDX_46f1cee57a4b77d2a1d4b19346" ON "visit"  ("child_id", "visited_on")`);
    await q.query(`CREATE TABLE "supervision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "supervisor_id" uuid NOT NULL, "supervisee_id" uuid NOT NULL, "held_on" date NOT NULL, "general_notes" text, CONSTRAINT "PK_b5d162a80314f2d5e9e1cf712a2" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_f66a78f6bfd0914023075e8314" ON "supervision"  ("supervisor_id", "held_on")`);
    await q.query(`CREATE INDEX "IDX_ca81373fcfbda7efe598d96a86" ON "supervision"  ("supervisee_id", "held_on")`);
    await q.query(`CREATE TABLE "supervision_case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "supervision_id" uuid NOT NULL, "child_id" uuid NOT NULL, "reflection" text NOT NULL, "decisions" text NOT NULL, "actions" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "PK_96c90a9c8363fd410622846e500" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_52fbcaa22cab116a2b5fc28ee4" ON "supervision_case"  ("child_id")`);
    await q.query(`CREATE INDEX "IDX_ebda8734616e9ed602da67637f" ON "supervision_case"  ("supervision_id")`);
    await q.query(`CREATE TABLE "management_decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by_id" uuid, "updated_by_id" uuid, "child_id" uuid NOT NULL, "decided_by_id" uuid NOT NULL, "decided_on" date NOT NULL, "decision" text NOT NULL, "rationale" text NOT NULL, CONSTRAINT "PK_d11406c538997a702eecb700572" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_dca526d6195a5ce72007cfbfd7" ON "management_decision"  ("child_id", "decided_on")`);
    await q.query(`ALTER TABLE "account" ADD "supervision_every_working_days" integer NOT NULL DEFAULT '20'`);
    await q.query(`ALTER TABLE "episode" ADD CONSTRAINT "FK_b3bc8b069b0fddef6acfbf74182" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "episode" ADD CONSTRAINT "FK_fd2ef1505cbd467cdc87feaca7b" FOREIGN KEY ("referral_id") REFERENCES "referral"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment" ADD CONSTRAINT "FK_28b6c18b257149a4965b44c6f30" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment" ADD CONSTRAINT "FK_62a69da64f027887d9edf5df5c5" FOREIGN KEY ("episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "assessment" ADD CONSTRAINT "FK_d80d49230dae428bca3bf670bd1" FOREIGN KEY ("authorised_by_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan" ADD CONSTRAINT "FK_a2c6d2a80151fa001e7ab9f4200" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan" ADD CONSTRAINT "FK_32ee81303613faf3c148a2d7a3d" FOREIGN KEY ("episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_outcome" ADD CONSTRAINT "FK_fd30394a181a77478e83bcaee9f" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_action" ADD CONSTRAINT "FK_285df8feb2922da120d9070a150" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_action" ADD CONSTRAINT "FK_653098067c625c64f09bdcbec3e" FOREIGN KEY ("outcome_id") REFERENCES "plan_outcome"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_review" ADD CONSTRAINT "FK_9f6cfccdb3975dbd87d2e363b0e" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_review" ADD CONSTRAINT "FK_4a4a7ecc5166a9875a5a52a20ca" FOREIGN KEY ("reviewer_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "plan_revision" ADD CONSTRAINT "FK_1fc36928d5aa4b467d762e62cba" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "strategy_discussion" ADD CONSTRAINT "FK_40d40113ecc394bee8c9c651c69" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "strategy_discussion" ADD CONSTRAINT "FK_77bf46a0c1f175c8167c20c3f38" FOREIGN KEY ("episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "section47" ADD CONSTRAINT "FK_82b430783121f471792d2b32a5c" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "section47" ADD CONSTRAINT "FK_feae518e28a0891b2443e45c663" FOREIGN KEY ("episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "section47" ADD CONSTRAINT "FK_18dae18b2051f8ab9a675590faf" FOREIGN KEY ("strategy_discussion_id") REFERENCES "strategy_discussion"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "child_protection_conference" ADD CONSTRAINT "FK_cd042a36413aaab673e72f02a83" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "child_protection_conference" ADD CONSTRAINT "FK_346010fb39c1beb77d7aba60170" FOREIGN KEY ("episode_id") REFERENCES "episode"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "child_protection_conference" ADD CONSTRAINT "FK_c2edab2675ee7f96280eb076443" FOREIGN KEY ("section47_id") REFERENCES "section47"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "child_protection_conference" ADD CONSTRAINT "FK_a4d7a11193f25bea180189d8e4f" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "child_protection_conference" ADD CONSTRAINT "FK_e254ea6385b9dd556bce1a002c5" FOREIGN KEY ("chair_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_888713df961d0eb51a8870264c8" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_2e8e62610f0872d3d6cd578f019" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "supervision" ADD CONSTRAINT "FK_d729602f4eefe09f3e9902c9bc0" FOREIGN KEY ("supervisor_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "supervision" ADD CONSTRAINT "FK_8200c8fe5cec57c1209996f1cad" FOREIGN KEY ("supervisee_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "supervision_case" ADD CONSTRAINT "FK_ebda8734616e9ed602da67637f9" FOREIGN KEY ("supervision_id") REFERENCES "supervision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "supervision_case" ADD CONSTRAINT "FK_52fbcaa22cab116a2b5fc28ee49" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "management_decision" ADD CONSTRAINT "FK_d0fe8c7dd420edb3eca8dd695d8" FOREIGN KEY ("child_id") REFERENCES "child"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "management_decision" ADD CONSTRAINT "FK_81b9935dd6ebbd861240a05ebbf" FOREIGN KEY ("decided_by_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE FUNCTION haven_add_working_days(d date, n int) RETURNS date LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN n = 0 THEN d ELSE (
        SELECT day FROM (
          SELECT g::date AS day, row_number() OVER (ORDER BY g) AS k
          FROM generate_series(d + 1, d + n * 2 + 20, interval '1 day') g
          WHERE extract(isodow FROM g) < 6 AND NOT EXISTS (SELECT 1 FROM bank_holiday b WHERE b.date = g::date)
        ) w WHERE k = n) END
    $$`);
    await q.query(
      `INSERT INTO plan_type_setting (plan_type, visit_every_working_days, review_every_months)
       VALUES ('CHILD_PROTECTION', 10, 6), ('CHILD_IN_NEED', 20, 3), ('EARLY_HELP', 20, 2)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION haven_add_working_days(date, int)`);
    await q.query(`ALTER TABLE "management_decision" DROP CONSTRAINT "FK_81b9935dd6ebbd861240a05ebbf"`);
    await q.query(`ALTER TABLE "management_decision" DROP CONSTRAINT "FK_d0fe8c7dd420edb3eca8dd695d8"`);
    await q.query(`ALTER TABLE "supervision_case" DROP CONSTRAINT "FK_52fbcaa22cab116a2b5fc28ee49"`);
    await q.query(`ALTER TABLE "supervision_case" DROP CONSTRAINT "FK_ebda8734616e9ed602da67637f9"`);
    await q.query(`ALTER TABLE "supervision" DROP CONSTRAINT "FK_8200c8fe5cec57c1209996f1cad"`);
    await q.query(`ALTER TABLE "supervision" DROP CONSTRAINT "FK_d729602f4eefe09f3e9902c9bc0"`);
    await q.query(`ALTER TABLE "visit" DROP CONSTRAINT "FK_2e8e62610f0872d3d6cd578f019"`);
    await q.query(`ALTER TABLE "visit" DROP CONSTRAINT "FK_888713df961d0eb51a8870264c8"`);
    await q.query(`ALTER TABLE "child_protection_conference" DROP CONSTRAINT "FK_e254ea6385b9dd556bce1a002c5"`);
    await q.query(`ALTER TABLE "child_protection_conference" DROP CONSTRAINT "FK_a4d7a11193f25bea180189d8e4f"`);
    await q.query(`ALTER TABLE "child_protection_conference" DROP CONSTRAINT "FK_c2edab2675ee7f96280eb076443"`);
    await q.query(`ALTER TABLE "child_protection_conference" DROP CONSTRAINT "FK_346010fb39c1beb77d7aba60170"`);
    await q.query(`ALTER TABLE "child_protection_conference" DROP CONSTRAINT "FK_cd042a36413aaab673e72f02a83"`);
    await q.query(`ALTER TABLE "section47" DROP CONSTRAINT "FK_18dae18b2051f8ab9a675590faf"`);
    await q.query(`ALTER TABLE "section47" DROP CONSTRAINT "FK_feae518e28a0891b2443e45c663"`);
    await q.query(`ALTER TABLE "section47" DROP CONSTRAINT "FK_82b430783121f471792d2b32a5c"`);
    await q.query(`ALTER TABLE "strategy_discussion" DROP CONSTRAINT "FK_77bf46a0c1f175c8167c20c3f38"`);
    await q.query(`ALTER TABLE "strategy_discussion" DROP CONSTRAINT "FK_40d40113ecc394bee8c9c651c69"`);
    await q.query(`ALTER TABLE "plan_revision" DROP CONSTRAINT "FK_1fc36928d5aa4b467d762e62cba"`);
    await q.query(`ALTER TABLE "plan_review" DROP CONSTRAINT "FK_4a4a7ecc5166a9875a5a52a20ca"`);
    await q.query(`ALTER TABLE "plan_review" DROP CONSTRAINT "FK_9f6cfccdb3975dbd87d2e363b0e"`);
    await q.query(`ALTER TABLE "plan_action" DROP CONSTRAINT "FK_653098067c625c64f09bdcbec3e"`);
    await q.query(`ALTER TABLE "plan_action" DROP CONSTRAINT "FK_285df8feb2922da120d9070a150"`);
    await q.query(`ALTER TABLE "plan_outcome" DROP CONSTRAINT "FK_fd30394a181a77478e83bcaee9f"`);
    await q.query(`ALTER TABLE "plan" DROP CONSTRAINT "FK_32ee81303613faf3c148a2d7a3d"`);
    await q.query(`ALTER TABLE "plan" DROP CONSTRAINT "FK_a2c6d2a80151fa001e7ab9f4200"`);
    await q.query(`ALTER TABLE "assessment" DROP CONSTRAINT "FK_d80d49230dae428bca3bf670bd1"`);
    await q.query(`ALTER TABLE "assessment" DROP CONSTRAINT "FK_62a69da64f027887d9edf5df5c5"`);
    await q.query(`ALTER TABLE "assessment" DROP CONSTRAINT "FK_28b6c18b257149a4965b44c6f30"`);
    await q.query(`ALTER TABLE "episode" DROP CONSTRAINT "FK_fd2ef1505cbd467cdc87feaca7b"`);
    await q.query(`ALTER TABLE "episode" DROP CONSTRAINT "FK_b3bc8b069b0fddef6acfbf74182"`);
    await q.query(`ALTER TABLE "account" DROP COLUMN "supervision_every_working_days"`);
    await q.query(`DROP INDEX "public"."IDX_dca526d6195a5ce72007cfbfd7"`);
    await q.query(`DROP TABLE "management_decision"`);
    await q.query(`DROP INDEX "public"."IDX_ebda8734616e9ed602da67637f"`);
    await q.query(`DROP INDEX "public"."IDX_52fbcaa22cab116a2b5fc28ee4"`);
    await q.query(`DROP TABLE "supervision_case"`);
    await q.query(`DROP INDEX "public"."IDX_ca81373fcfbda7efe598d96a86"`);
    await q.query(`DROP INDEX "public"."IDX_f66a78f6bfd0914023075e8314"`);
    await q.query(`DROP TABLE "supervision"`);
    await q.query(`DROP INDEX "public"."IDX_46f1cee57a4b77d2a1d4b19346"`);
    await q.query(`DROP INDEX "public"."IDX_2e8e62610f0872d3d6cd578f01"`);
    await q.query(`DROP TABLE "visit"`);
    await q.query(`DROP INDEX "public"."IDX_0bdc3b8a8b524c6d926f254025"`);
    await q.query(`DROP INDEX "public"."IDX_a4d7a11193f25bea180189d8e4"`);
    await q.query(`DROP INDEX "public"."IDX_c2edab2675ee7f96280eb07644"`);
    await q.query(`DROP TABLE "child_protection_conference"`);
    await q.query(`DROP INDEX "public"."IDX_2d324791ac34675b49c78e7c4a"`);
    await q.query(`DROP INDEX "public"."IDX_feae518e28a0891b2443e45c66"`);
    await q.query(`DROP INDEX "public"."IDX_18dae18b2051f8ab9a675590fa"`);
    await q.query(`DROP TABLE "section47"`);
    await q.query(`DROP INDEX "public"."IDX_706d7890ded00597e6828d28c5"`);
    await q.query(`DROP INDEX "public"."IDX_77bf46a0c1f175c8167c20c3f3"`);
    await q.query(`DROP TABLE "strategy_discussion"`);
    await q.query(`DROP TABLE "plan_type_setting"`);
    await q.query(`DROP INDEX "public"."IDX_dce26174c909bf9688b3ce33c5"`);
    await q.query(`DROP TABLE "plan_revision"`);
    await q.query(`DROP INDEX "public"."IDX_a5d1eb34db584155502fda4105"`);
    await q.query(`DROP TABLE "plan_review"`);
    await q.query(`DROP INDEX "public"."IDX_285df8feb2922da120d9070a15"`);
    await q.query(`DROP TABLE "plan_action"`);
    await q.query(`DROP INDEX "public"."IDX_fd30394a181a77478e83bcaee9"`);
    await q.query(`DROP TABLE "plan_outcome"`);
    await q.query(`DROP INDEX "public"."IDX_96355bb710ce095fcdbb0783f3"`);
    await q.query(`DROP INDEX "public"."IDX_32ee81303613faf3c148a2d7a3"`);
    await q.query(`DROP INDEX "public"."IDX_3d06c98ac38567da4e3964ad93"`);
    await q.query(`DROP TABLE "plan"`);
    await q.query(`DROP INDEX "public"."IDX_bb7038aebbeb9df941e81ebc6f"`);
    await q.query(`DROP INDEX "public"."IDX_62a69da64f027887d9edf5df5c"`);
    await q.query(`DROP INDEX "public"."IDX_17c3083629c9842fb3c23cb540"`);
    await q.query(`DROP TABLE "assessment"`);
    await q.query(`DROP INDEX "public"."IDX_55fc037aa84b1feed25eaa49c2"`);
    await q.query(`DROP INDEX "public"."IDX_fd2ef1505cbd467cdc87feaca7"`);
    await q.query(`DROP TABLE "episode"`);
  }
}
