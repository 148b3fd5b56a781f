-- CreateTable
CREATE TABLE "UserRiskProfile" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "profile" TEXT NOT NULL,
    CONSTRAINT "UserRiskProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "score" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "signals" TEXT NOT NULL,
    "firstEventId" INTEGER NOT NULL,
    "lastEventId" INTEGER NOT NULL,
    "firstAt" DATETIME NOT NULL,
    "lastAt" DATETIME NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Alert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AddColumns (by hand: Prisma's diff copies both tables; adding nullable or
-- constant-default columns is instant in SQLite, even with millions of events)
ALTER TABLE "User" ADD COLUMN "risk" REAL NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "riskAt" DATETIME;
ALTER TABLE "Event" ADD COLUMN "risk" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Event" ADD COLUMN "signals" TEXT;

-- CreateIndex
CREATE INDEX "Alert_status_id_idx" ON "Alert"("status", "id");

-- CreateIndex
CREATE INDEX "Alert_userId_status_idx" ON "Alert"("userId", "status");
