-- AlterTable
ALTER TABLE "User" ADD COLUMN "alertLevel" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "verdict" TEXT;
ALTER TABLE "User" ADD COLUMN "attention" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "riskKey" REAL NOT NULL DEFAULT -1000000000;

-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "note" TEXT;
ALTER TABLE "Alert" ADD COLUMN "assignee" TEXT;

-- Existing users: the level of their unresolved alerts and their risk key (domain/risk/standing.ts).
-- Verdicts live in the risk profiles and are filled in by the API at its first start after this migration.
UPDATE "User" SET "alertLevel" = coalesce((
  SELECT max(CASE "level" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)
  FROM "Alert" WHERE "Alert"."userId" = "User"."id" AND "Alert"."status" != 'resolved'
), 0);
UPDATE "User" SET "attention" = "alertLevel";
UPDATE "User" SET "riskKey" = log2("risk") + "riskAt" / 86400000.0 WHERE "risk" > 0 AND "riskAt" IS NOT NULL;

-- CreateIndex
CREATE INDEX "User_attention_riskKey_id_idx" ON "User"("attention", "riskKey", "id");
CREATE INDEX "Alert_score_id_idx" ON "Alert"("score", "id");
