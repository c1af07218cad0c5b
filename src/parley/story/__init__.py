"""The story: the content model, its safe reading, every check, the warm cache, the schema."""
