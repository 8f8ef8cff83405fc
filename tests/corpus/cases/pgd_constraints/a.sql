-- Constraints: primary keys (also from an existing index), unique (deferrable, on
-- expressions via index), check (NOT VALID, NO INHERIT), exclusion, foreign keys with
-- every action and match type, deferrable ones, self-references, comments.
CREATE TABLE dept (
    id int,
    code text NOT NULL,
    parent_id int,
    CONSTRAINT dept_pkey PRIMARY KEY (id),
    CONSTRAINT dept_code_key UNIQUE (code),
    CONSTRAINT dept_parent_code_key UNIQUE (parent_id, code) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT dept_parent_fk FOREIGN KEY (parent_id) REFERENCES dept (id) ON DELETE SET NULL
);
CREATE TABLE employee (
    id int NOT NULL,
    dept_id int,
    dept_code text,
    manager_id int,
    salary numeric CHECK (salary > 0),
    email text,
    CONSTRAINT employee_dept_fk FOREIGN KEY (dept_id) REFERENCES dept (id) ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT employee_dept_code_fk FOREIGN KEY (dept_code) REFERENCES dept (code) MATCH FULL DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX employee_id_idx ON employee (id);
ALTER TABLE employee ADD CONSTRAINT employee_pkey PRIMARY KEY USING INDEX employee_id_idx;
ALTER TABLE employee ADD CONSTRAINT employee_manager_fk FOREIGN KEY (manager_id) REFERENCES employee (id) NOT VALID;
ALTER TABLE employee ADD CONSTRAINT employee_email_check CHECK (email LIKE '%@%') NOT VALID;
CREATE TABLE booking (
    room int,
    during tstzrange,
    EXCLUDE USING gist (during WITH &&)
);
CREATE TABLE pair (a int, b int, CONSTRAINT pair_ordered CHECK (a < b) NO INHERIT, UNIQUE (a, b));
COMMENT ON CONSTRAINT employee_dept_fk ON employee IS 'every employee has a department';
