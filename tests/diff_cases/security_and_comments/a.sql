CREATE TABLE notes (id int PRIMARY KEY, owner text, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT USING (owner = current_user);
CREATE POLICY notes_old ON notes FOR DELETE USING (false);
COMMENT ON TABLE notes IS 'notes';
COMMENT ON COLUMN notes.body IS 'markdown';
