"""Domain-free pieces that every app's write paths share."""
