-- Points in space with cube: a table, a GiST index, a distance helper, access.
CREATE TABLE public.star (id int PRIMARY KEY, pos cube.cube NOT NULL);
CREATE INDEX star_pos ON public.star USING gist (pos);
CREATE FUNCTION public.near(a cube.cube, b cube.cube) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT cube.cube_distance(a, b) < 10 $$;
COMMENT ON TYPE cube.cube IS 'n-dimensional boxes';
ALTER FUNCTION cube.cube_dim(cube.cube) COST 5;
REVOKE EXECUTE ON FUNCTION cube.cube_enlarge(cube.cube, double precision, integer) FROM PUBLIC;
DROP FUNCTION cube.cube_subset(cube.cube, integer[]);
GRANT USAGE ON SCHEMA cube TO corpus_reader;
ALTER TABLE public.star ADD CONSTRAINT star_3d CHECK (cube.cube_dim(pos) = 3);
