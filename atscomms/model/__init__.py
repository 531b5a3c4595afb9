"""The workspace model: typed resources built from validated documents."""
