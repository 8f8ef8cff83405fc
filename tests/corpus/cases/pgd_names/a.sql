-- Names that need quoting: quotes, spaces, punctuation, capitals, non-ASCII letters,
-- reserved words, in every kind of object, and enum labels and comments with quotes.
CREATE SCHEMA "Weird ""@/\#~_-";
CREATE SCHEMA "تست";
CREATE TYPE "Weird ""@/\#~_-"."Mood's" AS ENUM ('it''s ok', 'Ünïcödé', 'with space');
CREATE TABLE "Weird ""@/\#~_-"."User" (
    "ID" int PRIMARY KEY,
    "select" text,
    "first name" text,
    "a""b" int,
    "Mood" "Weird ""@/\#~_-"."Mood's" DEFAULT 'it''s ok'
);
CREATE TABLE "تست"."موارد" ("هویت" int PRIMARY KEY, "User" int REFERENCES "Weird ""@/\#~_-"."User" ("ID"));
CREATE INDEX "Index With Spaces" ON "Weird ""@/\#~_-"."User" ("first name");
CREATE VIEW "Weird ""@/\#~_-"."Order" AS SELECT "ID", "select" FROM "Weird ""@/\#~_-"."User";
CREATE FUNCTION "Weird ""@/\#~_-"."Do-It"("in" int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT "in" + 1 $$;
CREATE SEQUENCE "Weird ""@/\#~_-"."Seq.1";
ALTER TABLE "Weird ""@/\#~_-"."User" ADD CONSTRAINT "check ""quoted""" CHECK ("a""b" > 0);
COMMENT ON TABLE "Weird ""@/\#~_-"."User" IS 'it''s a "user" table';
COMMENT ON COLUMN "تست"."موارد"."هویت" IS 'شناسه';
GRANT SELECT ("first name") ON "Weird ""@/\#~_-"."User" TO corpus_reader;
