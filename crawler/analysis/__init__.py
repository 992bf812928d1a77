"""Language analysis: which language a text is in, and how its words are matched."""
