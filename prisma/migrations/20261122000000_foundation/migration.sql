-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrgUnitType" AS ENUM ('TRUST', 'DIRECTORATE', 'SERVICE', 'TEAM', 'WARD');

-- CreateEnum
CREATE TYPE "PrincipleKey" AS ENUM ('RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE');

-- CreateEnum
CREATE TYPE "WorkstreamStatus" AS ENUM ('PROPOSED', 'ACTIVE', 'PAUSED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "WorkstreamLeadRole" AS ENUM ('LEAD', 'CO_LEAD', 'LIVED_EXPERIENCE_LEAD', 'EXECUTIVE_SPONSOR');

-- CreateEnum
CREATE TYPE "InvolvementKind" AS ENUM ('CO_PRODUCTION', 'CO_DELIVERY', 'PEER_SUPPORT', 'ADVISORY', 'EVALUATION');

-- CreateEnum
CREATE TYPE "MilestoneStatus" AS ENUM ('PLANNED', 'IN_PROGRESS', 'DONE', 'MISSED');

-- CreateEnum
CREATE TYPE "ScoringType" AS ENUM ('PROPORTION', 'RATE', 'MEAN', 'COUNT');

-- CreateEnum
CREATE TYPE "ImprovementDirection" AS ENUM ('INCREASE', 'DECREASE', 'NEITHER');

-- CreateEnum
CREATE TYPE "Audience" AS ENUM ('PATIENTS', 'STAFF');

-- CreateEnum
CREATE TYPE "Periodicity" AS ENUM ('MONTH', 'QUARTER');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'FACULTY_LEAD', 'BOARD', 'TEAM_MANAGER', 'INTEGRATION');

-- CreateTable
CREATE TABLE "org_unit" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "OrgUnitType" NOT NULL,
    "ods_code" TEXT,
    "parent_id" INTEGER,
    "path" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "org_unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "principle" (
    "id" SERIAL NOT NULL,
    "key" "PrincipleKey" NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "patient_focus" TEXT NOT NULL,
    "staff_focus" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "principle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "job_title" TEXT,
    "has_lived_experience" BOOLEAN NOT NULL DEFAULT false,
    "org_unit_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workstream" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "aims" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "WorkstreamStatus" NOT NULL DEFAULT 'PROPOSED',
    "start_date" DATE,
    "end_date" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workstream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workstream_lead" (
    "workstream_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "role" "WorkstreamLeadRole" NOT NULL DEFAULT 'LEAD',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workstream_lead_pkey" PRIMARY KEY ("workstream_id","person_id")
);

-- CreateTable
CREATE TABLE "workstream_principle" (
    "workstream_id" INTEGER NOT NULL,
    "principle_id" INTEGER NOT NULL,

    CONSTRAINT "workstream_principle_pkey" PRIMARY KEY ("workstream_id","principle_id")
);

-- CreateTable
CREATE TABLE "workstream_team" (
    "workstream_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "joined_on" DATE,

    CONSTRAINT "workstream_team_pkey" PRIMARY KEY ("workstream_id","org_unit_id")
);

-- CreateTable
CREATE TABLE "milestone" (
    "id" SERIAL NOT NULL,
    "workstream_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "due_date" DATE,
    "status" "MilestoneStatus" NOT NULL DEFAULT 'PLANNED',
    "completed_on" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lived_experience_involvement" (
    "id" SERIAL NOT NULL,
    "workstream_id" INTEGER NOT NULL,
    "kind" "InvolvementKind" NOT NULL,
    "description" TEXT NOT NULL,
    "people_count" INTEGER,
    "started_on" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "lived_experience_involvement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measure" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "scoring_type" "ScoringType" NOT NULL,
    "improvement_direction" "ImprovementDirection" NOT NULL,
    "multiplier" DOUBLE PRECISION,
    "unit" TEXT,
    "audience" "Audience" NOT NULL,
    "periodicity" "Periodicity" NOT NULL DEFAULT 'MONTH',
    "numerator_label" TEXT,
    "denominator_label" TEXT,
    "owner_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "measure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measure_principle" (
    "measure_id" INTEGER NOT NULL,
    "principle_id" INTEGER NOT NULL,

    CONSTRAINT "measure_principle_pkey" PRIMARY KEY ("measure_id","principle_id")
);

-- CreateTable
CREATE TABLE "measure_workstream" (
    "measure_id" INTEGER NOT NULL,
    "workstream_id" INTEGER NOT NULL,

    CONSTRAINT "measure_workstream_pkey" PRIMARY KEY ("measure_id","workstream_id")
);

-- CreateTable
CREATE TABLE "measure_target" (
    "id" SERIAL NOT NULL,
    "measure_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER,
    "value" DOUBLE PRECISION NOT NULL,
    "rationale" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "measure_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observation" (
    "id" BIGSERIAL NOT NULL,
    "measure_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "period_start" DATE NOT NULL,
    "numerator" DOUBLE PRECISION NOT NULL,
    "denominator" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "external_id" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observation_revision" (
    "id" BIGSERIAL NOT NULL,
    "observation_id" BIGINT NOT NULL,
    "revision" INTEGER NOT NULL,
    "numerator" DOUBLE PRECISION NOT NULL,
    "denominator" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "external_id" TEXT,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "superseded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observation_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "scope_org_unit_id" INTEGER,
    "integration_client_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_client" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source_system" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_client_measure" (
    "client_id" INTEGER NOT NULL,
    "measure_id" INTEGER NOT NULL,

    CONSTRAINT "integration_client_measure_pkey" PRIMARY KEY ("client_id","measure_id")
);

-- CreateTable
CREATE TABLE "integration_client_org_unit" (
    "client_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,

    CONSTRAINT "integration_client_org_unit_pkey" PRIMARY KEY ("client_id","org_unit_id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "request_id" TEXT,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "org_unit_code_key" ON "org_unit"("code");

-- CreateIndex
CREATE INDEX "org_unit_parent_id_idx" ON "org_unit"("parent_id");

-- CreateIndex
CREATE INDEX "org_unit_path_idx" ON "org_unit"("path" text_pattern_ops);

-- CreateIndex
CREATE UNIQUE INDEX "principle_key_key" ON "principle"("key");

-- CreateIndex
CREATE UNIQUE INDEX "person_email_key" ON "person"("email");

-- CreateIndex
CREATE INDEX "person_org_unit_id_idx" ON "person"("org_unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "workstream_code_key" ON "workstream"("code");

-- CreateIndex
CREATE INDEX "workstream_lead_person_id_idx" ON "workstream_lead"("person_id");

-- CreateIndex
CREATE INDEX "workstream_principle_principle_id_idx" ON "workstream_principle"("principle_id");

-- CreateIndex
CREATE INDEX "workstream_team_org_unit_id_idx" ON "workstream_team"("org_unit_id");

-- CreateIndex
CREATE INDEX "milestone_workstream_id_idx" ON "milestone"("workstream_id");

-- CreateIndex
CREATE INDEX "lived_experience_involvement_workstream_id_idx" ON "lived_experience_involvement"("workstream_id");

-- CreateIndex
CREATE UNIQUE INDEX "measure_code_key" ON "measure"("code");

-- CreateIndex
CREATE INDEX "measure_principle_principle_id_idx" ON "measure_principle"("principle_id");

-- CreateIndex
CREATE INDEX "measure_workstream_workstream_id_idx" ON "measure_workstream"("workstream_id");

-- CreateIndex
CREATE UNIQUE INDEX "measure_target_measure_id_org_unit_id_key" ON "measure_target"("measure_id", "org_unit_id");

-- CreateIndex
CREATE INDEX "observation_org_unit_id_period_start_idx" ON "observation"("org_unit_id", "period_start");

-- CreateIndex
CREATE UNIQUE INDEX "observation_measure_id_org_unit_id_period_start_key" ON "observation"("measure_id", "org_unit_id", "period_start");

-- CreateIndex
CREATE UNIQUE INDEX "observation_source_external_id_key" ON "observation"("source", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "observation_revision_observation_id_revision_key" ON "observation_revision"("observation_id", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "integration_client_name_key" ON "integration_client"("name");

-- CreateIndex
CREATE INDEX "audit_event_entity_type_entity_id_at_idx" ON "audit_event"("entity_type", "entity_id", "at");

-- CreateIndex
CREATE INDEX "audit_event_actor_at_idx" ON "audit_event"("actor", "at");

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");

-- AddForeignKey
ALTER TABLE "org_unit" ADD CONSTRAINT "org_unit_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_lead" ADD CONSTRAINT "workstream_lead_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_lead" ADD CONSTRAINT "workstream_lead_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_principle" ADD CONSTRAINT "workstream_principle_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_principle" ADD CONSTRAINT "workstream_principle_principle_id_fkey" FOREIGN KEY ("principle_id") REFERENCES "principle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_team" ADD CONSTRAINT "workstream_team_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstream_team" ADD CONSTRAINT "workstream_team_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "milestone" ADD CONSTRAINT "milestone_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lived_experience_involvement" ADD CONSTRAINT "lived_experience_involvement_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_principle" ADD CONSTRAINT "measure_principle_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_principle" ADD CONSTRAINT "measure_principle_principle_id_fkey" FOREIGN KEY ("principle_id") REFERENCES "principle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_workstream" ADD CONSTRAINT "measure_workstream_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_workstream" ADD CONSTRAINT "measure_workstream_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_target" ADD CONSTRAINT "measure_target_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure_target" ADD CONSTRAINT "measure_target_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation" ADD CONSTRAINT "observation_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation_revision" ADD CONSTRAINT "observation_revision_observation_id_fkey" FOREIGN KEY ("observation_id") REFERENCES "observation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_scope_org_unit_id_fkey" FOREIGN KEY ("scope_org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_integration_client_id_fkey" FOREIGN KEY ("integration_client_id") REFERENCES "integration_client"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_client_measure" ADD CONSTRAINT "integration_client_measure_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "integration_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_client_measure" ADD CONSTRAINT "integration_client_measure_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_client_org_unit" ADD CONSTRAINT "integration_client_org_unit_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "integration_client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_client_org_unit" ADD CONSTRAINT "integration_client_org_unit_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

