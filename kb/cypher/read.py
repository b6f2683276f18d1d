"""Read statements of the API (root fields, relationship fields, traversals)."""
