"""Excel imports of members, proposals and training attendance: templates, dry run, commit, undo."""
