-- 3001_create_reactions (down): drops table reactions (its two partial unique indexes go with it).
DROP TABLE reactions;
