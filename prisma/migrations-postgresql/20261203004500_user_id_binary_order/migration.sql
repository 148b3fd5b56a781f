-- User ids sort byte by byte, as SQLite's BINARY collation and the API's own
-- comparisons do: a ranked walk breaks ties by id in SQL and in the process,
-- and under a language collation (en_US puts "alice" before "Bob") the two
-- orders would disagree and a page could repeat or skip a user. The id search
-- (ILIKE) then also ignores the case of ASCII letters only, as on SQLite.
ALTER TABLE "User" ALTER COLUMN "id" SET DATA TYPE TEXT COLLATE "C";
