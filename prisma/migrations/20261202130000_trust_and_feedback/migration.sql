-- CreateTable
CREATE TABLE "TrustEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    "removedBy" TEXT
);

-- CreateTable
CREATE TABLE "AllowListEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    "removedBy" TEXT
);

-- CreateTable
CREATE TABLE "AlertFeedback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "alertId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "lowers" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "until" DATETIME NOT NULL,
    "undoneAt" DATETIME,
    "undoneBy" TEXT
);

-- CreateIndex
CREATE INDEX "TrustEntry_userId_idx" ON "TrustEntry"("userId");

-- CreateIndex
CREATE INDEX "AlertFeedback_userId_idx" ON "AlertFeedback"("userId");

-- CreateIndex
CREATE INDEX "AlertFeedback_alertId_idx" ON "AlertFeedback"("alertId");
