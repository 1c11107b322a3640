"""Files in and out: where they live, reading YAML strictly, validating, loading the repository, writing safely."""
