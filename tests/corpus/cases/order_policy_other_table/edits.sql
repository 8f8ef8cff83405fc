DROP POLICY z_project_not_blocked ON z_project;
DROP TABLE a_blocked;
CREATE TABLE a_admins (member name);
CREATE POLICY z_project_admin ON z_project FOR ALL TO corpus_owner
    USING (EXISTS (SELECT 1 FROM a_admins WHERE member = current_user));
ALTER TABLE a_grants ADD COLUMN role text DEFAULT 'reader';
ALTER POLICY z_project_member ON z_project
    USING (id IN (SELECT project_id FROM a_grants WHERE member = current_user AND role IS NOT NULL));
CREATE TABLE a_projects_archived (id int);
CREATE POLICY z_project_live ON z_project AS RESTRICTIVE FOR SELECT
    USING (id NOT IN (SELECT id FROM a_projects_archived));
