CREATE TABLE notes (id int PRIMARY KEY, owner text, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT USING (owner = current_user OR owner IS NULL);
CREATE POLICY notes_write ON notes AS RESTRICTIVE FOR INSERT TO public WITH CHECK (owner = current_user);
COMMENT ON TABLE notes IS 'personal notes';
COMMENT ON COLUMN notes.owner IS 'role name';
COMMENT ON CONSTRAINT notes_pkey ON notes IS 'the key';
