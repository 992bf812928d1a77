"""The analysts' web app served beside the JSON API: search, coverage charts, story pages."""
