-- Functions whose argument or result is a table's or a view's row type, in schemas and
-- names that sort before it: created after the table or view, dropped before it.
CREATE SCHEMA app;
CREATE TABLE app.users (id int PRIMARY KEY, name text, active boolean DEFAULT true);
CREATE TABLE public.customer (id int PRIMARY KEY, user_id int REFERENCES app.users, tier text);
CREATE FUNCTION public.a_active_users() RETURNS SETOF app.users LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.users WHERE active $$;
CREATE FUNCTION app.a_user(uid int) RETURNS app.users LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.users WHERE id = uid $$;
CREATE FUNCTION public.a_tier(c public.customer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT c.tier $$;
CREATE FUNCTION public.a_customers() RETURNS SETOF public.customer LANGUAGE plpgsql STABLE
    AS $$ BEGIN RETURN QUERY SELECT * FROM public.customer; END $$;
CREATE FUNCTION public.a_pairs() RETURNS TABLE (u app.users, c public.customer) LANGUAGE sql STABLE
    AS $$ SELECT u, c FROM app.users u JOIN public.customer c ON c.user_id = u.id $$;
CREATE VIEW app.user_names AS SELECT id, name FROM app.users;
CREATE FUNCTION public.a_user_name(uid int) RETURNS app.user_names LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.user_names WHERE id = uid $$;
