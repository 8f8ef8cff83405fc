-- Policies that read other tables (named so the other table sorts first): the policy must
-- be dropped before those tables, created after them.
CREATE TABLE a_grants (member name, project_id int);
CREATE TABLE a_blocked (member name);
CREATE TABLE z_project (id int PRIMARY KEY, name text);
ALTER TABLE z_project ENABLE ROW LEVEL SECURITY;
CREATE POLICY z_project_member ON z_project
    USING (id IN (SELECT project_id FROM a_grants WHERE member = current_user));
CREATE POLICY z_project_not_blocked ON z_project AS RESTRICTIVE
    USING (NOT EXISTS (SELECT 1 FROM a_blocked WHERE member = current_user));
