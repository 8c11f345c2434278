-- You said, we did (issue 14): the faculty's feedback themes (shared), feedback received at an org
-- unit (trust-bound; unique on (trust, source, external_id) so imports are idempotent), its
-- themes, the actions taken on it, and CORE fidelity item 22 assessments of criteria a, b and d.
-- CreateEnum
CREATE TYPE "FeedbackSource" AS ENUM ('FRIENDS_AND_FAMILY_TEST', 'PATIENT_SURVEY', 'COMPLAINT', 'PALS', 'COMPLIMENT', 'COMMUNITY_MEETING', 'LIVED_EXPERIENCE_FORUM', 'STAFF_SURVEY');

-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "FeedbackActionStatus" AS ENUM ('PLANNED', 'IN_PROGRESS', 'DONE', 'DROPPED');

-- CreateEnum
CREATE TYPE "CoreItem22Criterion" AS ENUM ('A_RECRUITMENT', 'B_SKILLS_MONITORED', 'D_ALL_SOURCES_CARING');

-- CreateTable
CREATE TABLE "feedback_theme" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "principle_keys" "PrincipleKey"[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" SERIAL NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "trust_id" INTEGER NOT NULL,
    "source" "FeedbackSource" NOT NULL,
    "external_id" TEXT,
    "received_on" DATE NOT NULL,
    "summary" TEXT NOT NULL,
    "status" "FeedbackStatus" NOT NULL DEFAULT 'DRAFT',
    "reviewed_by" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "recorded_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback_theme_link" (
    "feedback_id" INTEGER NOT NULL,
    "theme_id" INTEGER NOT NULL,

    CONSTRAINT "feedback_theme_link_pkey" PRIMARY KEY ("feedback_id","theme_id")
);

-- CreateTable
CREATE TABLE "feedback_action" (
    "id" SERIAL NOT NULL,
    "feedback_id" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "owner_id" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "status" "FeedbackActionStatus" NOT NULL DEFAULT 'PLANNED',
    "dropped_reason" TEXT,
    "evidence" TEXT,
    "completed_on" DATE,
    "workstream_id" INTEGER,
    "measure_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feedback_action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "core_item22_assessment" (
    "id" SERIAL NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "criterion" "CoreItem22Criterion" NOT NULL,
    "met" BOOLEAN NOT NULL,
    "assessed_on" DATE NOT NULL,
    "assessor" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "core_item22_assessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "feedback_theme_code_key" ON "feedback_theme"("code");

-- CreateIndex
CREATE INDEX "feedback_org_unit_id_received_on_idx" ON "feedback"("org_unit_id", "received_on");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_trust_id_source_external_id_key" ON "feedback"("trust_id", "source", "external_id");

-- CreateIndex
CREATE INDEX "feedback_theme_link_theme_id_idx" ON "feedback_theme_link"("theme_id");

-- CreateIndex
CREATE INDEX "feedback_action_feedback_id_idx" ON "feedback_action"("feedback_id");

-- CreateIndex
CREATE INDEX "feedback_action_owner_id_idx" ON "feedback_action"("owner_id");

-- CreateIndex
CREATE INDEX "core_item22_assessment_org_unit_id_criterion_assessed_on_idx" ON "core_item22_assessment"("org_unit_id", "criterion", "assessed_on");

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_theme_link" ADD CONSTRAINT "feedback_theme_link_feedback_id_fkey" FOREIGN KEY ("feedback_id") REFERENCES "feedback"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_theme_link" ADD CONSTRAINT "feedback_theme_link_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "feedback_theme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_action" ADD CONSTRAINT "feedback_action_feedback_id_fkey" FOREIGN KEY ("feedback_id") REFERENCES "feedback"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_action" ADD CONSTRAINT "feedback_action_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_action" ADD CONSTRAINT "feedback_action_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_action" ADD CONSTRAINT "feedback_action_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "core_item22_assessment" ADD CONSTRAINT "core_item22_assessment_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

