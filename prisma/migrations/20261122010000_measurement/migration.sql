-- CreateEnum
CREATE TYPE "SpcPhaseKind" AS ENUM ('BASELINE', 'RECALCULATION');

-- CreateTable
CREATE TABLE "observation_rollup" (
    "measure_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "period_start" DATE NOT NULL,
    "numerator" DOUBLE PRECISION NOT NULL,
    "denominator" DOUBLE PRECISION NOT NULL,
    "contributors" INTEGER NOT NULL,

    CONSTRAINT "observation_rollup_pkey" PRIMARY KEY ("measure_id","org_unit_id","period_start")
);

-- CreateTable
CREATE TABLE "spc_phase" (
    "id" SERIAL NOT NULL,
    "measure_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "kind" "SpcPhaseKind" NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "spc_phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commentary" (
    "id" SERIAL NOT NULL,
    "measure_id" INTEGER NOT NULL,
    "org_unit_id" INTEGER NOT NULL,
    "period_start" DATE NOT NULL,
    "text" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commentary_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "observation_rollup_org_unit_id_period_start_idx" ON "observation_rollup"("org_unit_id", "period_start");

-- CreateIndex
CREATE INDEX "spc_phase_measure_id_org_unit_id_idx" ON "spc_phase"("measure_id", "org_unit_id");

-- CreateIndex
CREATE INDEX "commentary_measure_id_org_unit_id_period_start_created_at_idx" ON "commentary"("measure_id", "org_unit_id", "period_start", "created_at");

