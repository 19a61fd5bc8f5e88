"""Learning reports (models-free): reads learning, courses and accounts data."""
