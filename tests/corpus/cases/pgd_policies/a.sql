-- Row-level security: enabled and forced, permissive and restrictive policies, per
-- command and role, policies that read other tables.
CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE TABLE membership (team_id int REFERENCES team, member name);
CREATE TABLE document (id int PRIMARY KEY, team_id int REFERENCES team, owner name DEFAULT current_user, body text, archived boolean DEFAULT false);
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
ALTER TABLE document FORCE ROW LEVEL SECURITY;
CREATE POLICY document_team_read ON document FOR SELECT TO corpus_reader, corpus_writer
    USING (EXISTS (SELECT 1 FROM membership m WHERE m.team_id = document.team_id AND m.member = current_user));
CREATE POLICY document_owner_write ON document FOR UPDATE TO corpus_writer
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY document_insert ON document FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY document_not_archived ON document AS RESTRICTIVE USING (NOT archived);
ALTER TABLE membership ENABLE ROW LEVEL SECURITY;
CREATE POLICY membership_self ON membership USING (member = current_user);
COMMENT ON POLICY document_team_read ON document IS 'team members read';
