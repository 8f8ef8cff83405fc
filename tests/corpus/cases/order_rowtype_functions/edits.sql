ALTER TABLE app.users ADD COLUMN email text;
CREATE TABLE app.z_account (id int PRIMARY KEY, owner int);
CREATE FUNCTION app.a_accounts(o int) RETURNS SETOF app.z_account LANGUAGE sql STABLE
    AS $$ SELECT * FROM app.z_account WHERE owner = o $$;
DROP FUNCTION public.a_pairs();
DROP FUNCTION public.a_tier(public.customer);
DROP TABLE public.customer CASCADE;
CREATE TABLE public.customer (id int PRIMARY KEY, tier text NOT NULL);
CREATE FUNCTION public.a_tier(c public.customer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(c.tier) $$;
CREATE FUNCTION public.a_customers() RETURNS SETOF public.customer LANGUAGE sql STABLE AS $$ SELECT * FROM public.customer $$;
